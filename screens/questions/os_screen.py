"""The Data Science VM's operating system, with what each means for connecting, its admin user, and the one
address its firewall lets in (detected, editable)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from screens.choices import MEANING, OSES
from screens.questions.question_screen import QuestionScreen
from screens.widgets.choice_list import ChoiceList
from screens.widgets.field import RuleField
from wizard.answers import check_field
from wizard.dsvm import caller_ip


class AddressDetected(Message):
    """The caller's public address, as Azure will see it (detected in a worker)."""

    def __init__(self, address: str):
        super().__init__()
        self.address = address


class OsScreen(QuestionScreen):
    fields = ("vm_os", "admin_username", "allowed_source_ip")
    heading = "Dev VM operating system"

    def compose_body(self) -> ComposeResult:
        yield ChoiceList(OSES, self.draft.get("vm_os"), id="vm-os")
        yield Static(id="os-meaning", classes="explain")
        yield RuleField(
            "Admin user",
            self.draft.get("admin_username", "azureuser"),
            lambda v: check_field("admin_username", v),
            field_id="admin-username",
            hint="the user you sign in to the VM as",
            cursor_blink=self.app.config.cursor_blink,
        )
        yield RuleField(
            "Connect from",
            self.draft.get("allowed_source_ip", ""),
            lambda v: check_field("allowed_source_ip", v or None),
            field_id="allowed-source-ip",
            hint="the only address SSH/RDP accepts; empty: detect at run time; * = anywhere (unsafe)",
            cursor_blink=self.app.config.cursor_blink,
        )

    def on_mount(self) -> None:
        self.query_one("#vm-os").focus()
        self._explain()
        if not self.draft.get("allowed_source_ip"):
            self.detect_address()

    @work(thread=True, exclusive=True)
    def detect_address(self) -> None:
        """Pre-fill the caller's public address (what Azure will see), unless the user typed one meanwhile."""
        address = caller_ip.detect(timeout=3.0)
        if address:
            self.post_message(AddressDetected(address))

    @on(AddressDetected)
    def _prefill_address(self, message: AddressDetected) -> None:
        field = self.query_one("#allowed-source-ip", Input)
        if not field.value:
            field.value = message.address

    def _explain(self) -> None:
        self.query_one("#os-meaning", Static).update(MEANING[self.query_one("#vm-os", ChoiceList).value])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._explain()
        self.save()

    def save(self) -> None:
        self.draft.set("vm_os", self.query_one("#vm-os", ChoiceList).value)
        self.draft.set("admin_username", self.query_one("#admin-username-field", RuleField).value)
        self.draft.set("allowed_source_ip", self.query_one("#allowed-source-ip-field", RuleField).value)
