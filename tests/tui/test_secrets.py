"""A Windows VM needs its admin password at run time: asked in a masked dialog, checked, never stored."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from screens import messages
from screens.app import WizardApp
from screens.done_screen import DoneScreen
from screens.secret_modal import SecretModal
from screens.welcome_screen import WelcomeScreen
from tests.tui.conftest import ui_config, wait_for_screen
from wizard import redact, rules, secret_inputs
from wizard.answers import parse
from wizard.emulator import DEMO

PASSWORD = "Sc0ring-Wizard!42"


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets live for a process; give this test its own store so that no other test sees the password."""
    store = redact.SecretStore()
    monkeypatch.setattr(redact, "SECRETS", store)
    monkeypatch.setattr(secret_inputs, "SECRETS", store)


def test_the_windows_password_is_asked_masked_checked_and_not_written(tmp_path: Path, emulator) -> None:
    assert rules.password_problem(PASSWORD) is None
    config = ui_config(tmp_path, emulator)
    answers = parse(
        {
            "cloud": "AzureEmulator",
            "subscription_id": DEMO.subscription_id,
            "region": "eastus",
            "resource_group": "rg-windows",
            "prefix": "win",
            "vm_os": "windows",
            "allowed_source_ip": "203.0.113.7",
        }
    )

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            app.post_message(messages.OpenSetup(answers=answers))
            await wait_for_screen(pilot, SecretModal)
            await pilot.pause()
            assert app.screen.query_one("#secret").password
            text = " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
            assert "Password for azureuser on win-dsvm" in text and "Confirm" in text and "3 of:" in text
            await pilot.press(*"short", "enter", *"short", "enter")
            assert isinstance(app.screen, SecretModal)
            assert "12-123" in str(app.screen.query_one("#secret-problem").render())
            app.screen.query_one("#secret").value = ""
            app.screen.query_one("#again").value = ""
            app.screen.query_one("#secret").focus()
            await pilot.press(*PASSWORD, "enter", *PASSWORD, "enter")
            await wait_for_screen(pilot, DoneScreen, timeout=40)
        app.close_session()
        [checkpoint] = config.checkpoint_dir.glob("*.json")
        assert PASSWORD not in checkpoint.read_text()
        assert PASSWORD not in checkpoint.with_suffix(".log").read_text()

    asyncio.run(scenario())
