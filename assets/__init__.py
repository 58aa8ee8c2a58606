"""Runtime files of scoring-wizard, installed as the wizard.assets package; see wizard/resources.py."""
