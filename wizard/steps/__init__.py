"""Provisioning steps, one module each. The plan (wizard/plan.py) lists which ones run and in what order."""
