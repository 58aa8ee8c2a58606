"""Which cloud and how to sign in: reuses an Azure CLI login when there is one, device code when headless."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import OptionList, Static

from screens.choices import CLOUDS, SIGN_INS
from screens.questions.question_screen import QuestionScreen
from screens.widgets.choice_list import ChoiceList
from screens.widgets.field import RuleField
from wizard import catalog
from wizard.answers import check_field


class LoginDetected(Message):
    """The Azure CLI's login found on this machine (None: none), looked up in a worker."""

    def __init__(self, login: catalog.CliLogin | None):
        super().__init__()
        self.login = login


class CloudScreen(QuestionScreen):
    fields = ("cloud", "sign_in", "tenant_id")
    heading = "Cloud and sign-in"

    def compose_body(self) -> ComposeResult:
        if self.app.config.demo:
            yield Static(
                "Demo mode: the wizard talks to a local ARM emulator over HTTPS with the real Azure SDKs, "
                "signed in as the emulator's demo service principal. Nothing is created in Azure and "
                "nothing costs money.\n\nPress Enter to continue.",
                classes="explain",
            )
            return
        yield Static("Cloud", classes="section")
        yield ChoiceList(CLOUDS, self.draft.get("cloud"), id="cloud")
        yield Static("Sign in with", classes="section")
        yield ChoiceList(SIGN_INS, self.draft.get("sign_in"), id="sign-in")
        yield Static("Looking for an Azure CLI login…", id="cli-login", classes="note")
        yield RuleField(
            "Tenant (optional)",
            self.draft.get("tenant_id", ""),
            lambda v: check_field("tenant_id", v) if v else None,
            field_id="tenant",
            hint="leave empty for your home tenant",
            cursor_blink=self.app.config.cursor_blink,
        )

    def on_mount(self) -> None:
        if not self.app.config.demo:
            self.query_one("#cloud").focus()
            self.detect_login()

    @work(thread=True, exclusive=True)
    def detect_login(self) -> None:
        login = catalog.detect_cli_login() if self.app.config.detect_cli_login else None
        self.post_message(LoginDetected(login))

    @on(LoginDetected)
    def _show_login(self, message: LoginDetected) -> None:
        login = message.login
        note = self.query_one("#cli-login", Static)
        if login is None:
            suggested = catalog.suggested_sign_in(None)
            note.update(f"No Azure CLI login found; suggested: {suggested.value}.")
            if "sign_in" not in self.app.touched:
                self.query_one("#sign-in", ChoiceList).highlighted = [k for k, _ in SIGN_INS].index(suggested)
        else:
            note.update(f"Azure CLI is signed in as {login.user} (tenant {login.tenant_id}).")
            self.app.cli_login = login

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "sign-in" and event.option_list.has_focus:
            self.app.touched.add("sign_in")
        self.save()

    def save(self) -> None:
        if self.app.config.demo:
            return
        self.draft.set("cloud", self.query_one("#cloud", ChoiceList).value)
        self.draft.set("sign_in", self.query_one("#sign-in", ChoiceList).value)
        self.draft.set("tenant_id", self.query_one("#tenant-field", RuleField).value.strip())
