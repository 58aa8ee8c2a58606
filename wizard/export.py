"""`scoring-wizard export`: a setup's answers as a file `run --answers` replays, elsewhere.

Support staff reproduce a customer's setup in their own subscription. The answers are the whole recipe (names
are derived from them, and secrets are never stored, so none can leak into the file); what a replay must change
is marked: the subscription, and with it every globally unique name (storage account, key vault, DNS label),
which follows from subscription and resource group. `--set key=value` changes answers on the way out, checked
as the answers file would be.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from wizard.answers import Answers

# Answers a replay in another subscription must (or usually wants to) change, with why: written above each.
REPLAY_CHANGES = {
    "subscription_id": "change for a replay: your subscription (--set subscription_id=...)",
    "resource_group": "the storage account, key vault and DNS names follow from subscription and resource group",
    "allowed_source_ip": "the address allowed to reach the VM: yours, not the customer's",
}


class ExportError(ValueError):
    """An override that is not `key=value` or makes the answers invalid; the message says which."""


def _value(text: str) -> object:
    """A TOML value (`2`, `true`, `"x"`) when it parses as one, else the text itself."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def with_overrides(answers: Answers, overrides: list[str]) -> Answers:
    from pydantic import ValidationError

    data = answers.model_dump(mode="json", exclude_none=True)
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ExportError(f"--set {item}: expected key=value")
        data[key.strip()] = _value(text.strip())
    try:
        return Answers.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ExportError(f"--set: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None


def exported(answers: Answers, source: str) -> str:
    """The answers as TOML, with a header saying where they come from and the replay's changes marked."""
    lines = [
        f"# Exported by scoring-wizard from {source} on {datetime.now(UTC).date().isoformat()}.",
        "# No secrets: passwords are never stored; a replay asks for them (or reads their environment variables).",
        "# Replay: scoring-wizard run --answers THIS_FILE",
    ]
    for line in answers.to_toml().splitlines():
        key = line.partition(" = ")[0]
        if key in REPLAY_CHANGES and " = " in line:
            lines.append(f"# {REPLAY_CHANGES[key]}")
        lines.append(line)
    return "\n".join(lines) + "\n"
