"""The scheduler steps: one module per scheduler, each in the plan only when the answers chose it."""
