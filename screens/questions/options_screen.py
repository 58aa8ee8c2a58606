"""Options with working defaults: VM size, a GPU cluster, auto-shutdown."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, Static, Switch

from screens.questions.question_screen import QuestionScreen
from screens.widgets.field import RuleField
from wizard import catalog
from wizard.answers import DEFAULT_VM_SIZE, VmOs, check_field


class SizeChecked(Message):
    """Whether the subscription can create `size` in the region now (asked of Azure in a worker)."""

    def __init__(self, size: str, verdict: catalog.SizeVerdict):
        super().__init__()
        self.size = size
        self.verdict = verdict


class SpaceSwitch(Switch, inherit_bindings=False):
    """A switch toggled by space only, so Enter keeps meaning "next question"."""

    BINDINGS: ClassVar = [Binding("space", "toggle_switch", "Toggle", show=False)]


def gpu_note(on: bool) -> str:
    """The switch's state in words, as a switch alone does not say which side is on."""
    return "on: an AML compute cluster of GPU nodes (scales to 0)" if on else "off: CPU cluster only"


class OptionsScreen(QuestionScreen):
    fields = ("vm_size", "gpu_cluster", "auto_shutdown")
    availability: tuple[str, catalog.SizeVerdict] | None = None
    heading = "Options"
    intro = "Defaults work; change what you need. Space toggles the switch."

    def compose_body(self) -> ComposeResult:
        blink = self.app.config.cursor_blink
        default_size = DEFAULT_VM_SIZE[VmOs(self.draft.get("vm_os", "linux"))]
        yield RuleField(
            "VM size",
            self.draft.get("vm_size", ""),
            lambda v: check_field("vm_size", v) if v else None,
            field_id="vm-size",
            placeholder=default_size,
            hint=f"empty for {default_size} (4 vCPU, 16 GiB)",
            cursor_blink=blink,
        )
        yield Static(id="size-availability", classes="note")
        with Horizontal(classes="field-row switch-row"):
            yield Label("GPU cluster", classes="field-label")
            yield SpaceSwitch(bool(self.draft.get("gpu_cluster")), id="gpu-cluster")
            yield Label(gpu_note(bool(self.draft.get("gpu_cluster"))), id="gpu-note", classes="switch-note")
        yield RuleField(
            "Auto-shutdown",
            self.draft.get("auto_shutdown", "") or "",
            lambda v: check_field("auto_shutdown", v) if v else None,
            field_id="auto-shutdown",
            hint="the VM stops daily at this UTC time; empty for never",
            cursor_blink=blink,
        )

    def on_switch_changed(self) -> None:
        self.save()

    def on_mount(self) -> None:
        self.query_one("#vm-size").focus()
        self._check_size()

    def _wanted_size(self) -> str:
        field = self.query_one("#vm-size-field", RuleField)
        return field.value.strip() or DEFAULT_VM_SIZE[VmOs(self.draft.get("vm_os", "linux"))]

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        if event.input.id == "vm-size":
            self._check_size()

    def _check_size(self) -> None:
        size = self._wanted_size()
        if check_field("vm_size", size) is None and self.draft.get("subscription_id") and self.draft.get("region"):
            self.query_one("#size-availability", Static).update(f"checking {size} in {self.draft.get('region')}…")
            self.look_up_size(size, self.draft.get("subscription_id"), self.draft.get("region"))

    @work(thread=True, exclusive=True, group="size")
    def look_up_size(self, size: str, subscription_id: str, region: str) -> None:
        """Ask Azure whether this subscription can create the size there now (offered, not restricted, quota)."""
        verdict = catalog.check_size(self.app.list_connection(), subscription_id, region, size)
        self.post_message(SizeChecked(size, verdict))

    @on(SizeChecked)
    def _size_checked(self, message: SizeChecked) -> None:
        size, verdict = message.size, message.verdict
        if size != self._wanted_size():
            return
        self.availability = (size, verdict)
        if not verdict.known:
            note = "size and quota are checked before the VM is created"
        elif verdict.problem:
            note = f"✗ {verdict.problem}"
        else:
            note = f"✓ {size}: offered in {self.draft.get('region')}, within your quota"
        self.query_one("#size-availability", Static).update(note)
        self.refresh_bindings()

    def problems(self) -> list[str]:
        found = super().problems()
        if self.availability and self.availability[0] == self._wanted_size() and self.availability[1].problem:
            found.append(f"VM size: {self.availability[1].problem}")
        return found

    def save(self) -> None:
        def value(field_id: str) -> str:
            return self.query_one(f"#{field_id}-field", RuleField).value.strip()

        self.draft.set("vm_size", value("vm-size"))
        self.draft.values["gpu_cluster"] = self.query_one("#gpu-cluster", Switch).value
        self.query_one("#gpu-note", Label).update(gpu_note(self.draft.values["gpu_cluster"]))
        self.draft.values["auto_shutdown"] = value("auto-shutdown") or None
