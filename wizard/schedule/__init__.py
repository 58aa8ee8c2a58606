"""The scoring schedule: one recurrence, rendered for whichever service fires it."""
