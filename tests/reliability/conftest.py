"""The reliability tests drive the wizard as a user would: a standalone emulator in its own process."""

from tests.cli.conftest import standalone_emulator  # noqa: F401 (a fixture shared with the CLI tests)
