"""Names: a prefix from which every resource name is derived, and the resource group; both editable.

Each name is checked as it is typed with Azure's rule for that resource type, and the derived names are
shown (and checked) live, because a prefix that is fine on its own can still make an invalid VM name.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens import messages
from screens.questions.question_screen import QuestionScreen
from screens.widgets.field import RuleField
from wizard import rules
from wizard.answers import Answers, VmOs, check_field
from wizard.names import names_for
from wizard.status import SetupSummary, setups


class NamesScreen(QuestionScreen):
    fields = ("prefix", "resource_group")
    heading = "Names"
    intro = "Resource names are derived from a short prefix; the resource group holds everything."
    BINDINGS: ClassVar = [Binding("ctrl+o", "open_existing", "Open that setup")]

    def __init__(self) -> None:
        super().__init__()
        self.known: list[tuple[Path, SetupSummary]] = []

    def compose_body(self) -> ComposeResult:
        blink = self.app.config.cursor_blink
        yield RuleField(
            "Name prefix",
            self.draft.get("prefix", ""),
            lambda v: check_field("prefix", v),
            field_id="prefix",
            hint="e.g. scoring, demo, team1",
            cursor_blink=blink,
        )
        yield RuleField(
            "Resource group",
            self.draft.get("resource_group", ""),
            lambda v: check_field("resource_group", v),
            field_id="resource-group",
            hint="created if missing; deleting it removes the whole setup",
            cursor_blink=blink,
        )
        yield Static(id="existing", classes="existing-setup")
        yield Static(id="derived", classes="derived")

    def on_mount(self) -> None:
        self.known = [(p, s) for p, s in setups(self.app.config.checkpoint_dir) if isinstance(s, SetupSummary)]
        self.query_one("#prefix").focus()
        self._show_derived()

    @property
    def existing(self) -> tuple[Path, SetupSummary] | None:
        """A setup started before for this resource group and subscription: a new one would take it over."""
        group = self.query_one("#resource-group-field", RuleField).value.lower()
        subscription = self.draft.get("subscription_id")
        return next(
            ((p, s) for p, s in self.known if s.resource_group.lower() == group and s.subscription_id == subscription),
            None,
        )

    def action_open_existing(self) -> None:
        if self.existing is not None:
            self.notify("Opening the setup…", timeout=2)
            self._open(self.existing[0])

    def _open(self, path: Path) -> None:
        self.post_message(messages.OpenSetup(checkpoint_path=path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return self.existing is not None
        return super().check_action(action, parameters)

    def _derived(self) -> list[tuple[str, str, rules.Rule]] | None:
        prefix = self.query_one("#prefix-field", RuleField).value
        group = self.query_one("#resource-group-field", RuleField).value
        try:
            answers = Answers(
                subscription_id=self.draft.get("subscription_id") or "00000000-0000-0000-0000-000000000000",
                region="eastus",
                resource_group=group,
                prefix=prefix,
            )
        except ValueError:
            return None
        names = names_for(answers)
        vm_rule = rules.VM_NAME_WINDOWS if self.draft.get("vm_os") == VmOs.WINDOWS.value else rules.VM_NAME_LINUX
        return [
            ("Storage account", names.storage_account, rules.STORAGE_ACCOUNT),
            ("ML workspace", names.workspace, rules.ML_WORKSPACE),
            ("Data Science VM", names.vm, vm_rule),
        ]

    def _show_existing(self) -> None:
        found = self.existing
        self.query_one("#existing", Static).update(
            ""
            if found is None
            else f"✗ A setup for {found[1].resource_group} in this subscription exists ({found[1].progress}): "
            "ctrl+o opens it, or choose another resource group."
        )

    def _show_derived(self) -> None:
        derived = self._derived()
        if derived is None:
            self.query_one("#derived", Static).update("[dim]Derived names appear once both names are valid.[/dim]")
            return
        lines = ["[b]Derived names[/b]"]
        for label, name, rule in derived:
            problem = rule.check(name)
            mark = f"[red]✗ {problem}[/red]" if problem else "[green]✓[/green]"
            lines.append(f"  {label:<16} {name:<26} {mark}")
        self.query_one("#derived", Static).update("\n".join(lines))

    def problems(self) -> list[str]:
        found = super().problems()
        if self.existing is not None:
            found.append(f"a setup for {self.existing[1].resource_group} exists: open it (ctrl+o) or rename")
        for label, name, rule in self._derived() or []:
            problem = rule.check(name)
            if problem:
                found.append(f"{label} {name}: {problem}")
        return found

    def save(self) -> None:
        self.draft.set("prefix", self.query_one("#prefix-field", RuleField).value)
        self.draft.set("resource_group", self.query_one("#resource-group-field", RuleField).value)
        self._show_derived()
        self._show_existing()
        self.refresh_bindings()
