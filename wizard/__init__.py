"""scoring-wizard's engine: everything that talks to Azure, with no user interface of its own."""

__version__ = "0.1.0"
