"""The Data Science VM's decisions, kept out of the steps: which image, which size, how to sign in, how to connect.

Each module answers one question with plain functions over the official SDK clients, so the steps in
`wizard/steps/dsvm*.py` stay a sequence of Azure calls.
"""
