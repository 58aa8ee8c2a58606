"""Azure's own naming and value rules, checked locally so that bad input never costs an Azure round trip.

Each rule is a predicate plus the sentence a user reads when it fails; answers, the TUI and the plain
prompts all call `check`, so the wording is the same on every face.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A named check and the sentence that explains it."""

    explain: str
    test: Callable[[str], bool]

    def check(self, value: str) -> str | None:
        """Return the explanation when `value` breaks the rule, else None."""
        return None if self.test(value) else self.explain


def _pattern(regex: str) -> Callable[[str], bool]:
    compiled = re.compile(regex)
    return lambda value: compiled.fullmatch(value) is not None


RESOURCE_GROUP = Rule(
    "1-90 characters of letters, digits, '.', '_', '-', '(' and ')', not ending in '.'",
    lambda v: 1 <= len(v) <= 90 and re.fullmatch(r"[\w.()\-]+", v) is not None and not v.endswith("."),
)
PREFIX = Rule(
    "3-10 characters: lowercase letters and digits, starting with a letter",
    _pattern(r"[a-z][a-z0-9]{2,9}"),
)
STORAGE_ACCOUNT = Rule("3-24 characters: lowercase letters and digits only", _pattern(r"[a-z0-9]{3,24}"))
ML_WORKSPACE = Rule(
    "3-33 characters: letters, digits, '-' and '_', starting with a letter or digit",
    _pattern(r"[A-Za-z0-9][A-Za-z0-9_-]{2,32}"),
)
VM_NAME_LINUX = Rule(
    "1-64 characters: letters, digits, '.' and '-', not starting with '_' or ending in '.' or '-'",
    _pattern(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62}[A-Za-z0-9])?"),
)
VM_NAME_WINDOWS = Rule(
    "1-15 characters: letters, digits and '-', not all digits, not ending in '-'",
    lambda v: re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,13}[A-Za-z0-9])?", v) is not None and not v.isdigit(),
)
GENERIC_NAME = Rule(
    "2-60 characters: letters, digits and '-', starting with a letter, not ending in '-'",
    _pattern(r"[A-Za-z][A-Za-z0-9-]{0,58}[A-Za-z0-9]"),
)
SUBSCRIPTION_ID = Rule(
    "a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000",
    _pattern(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
)
VM_SIZE = Rule(
    "a VM size name such as Standard_D4s_v5 (Standard_ or Basic_ and the size)",
    _pattern(r"(Standard|Basic)_[A-Za-z0-9_]+"),
)

# Azure refuses these VM admin user names; the emulator checks the same list, as Azure would.
RESERVED_ADMIN_NAMES = frozenset(
    [
        "administrator",
        "admin",
        "user",
        "user1",
        "test",
        "user2",
        "test1",
        "user3",
        "admin1",
        "1",
        "123",
        "a",
        "actuser",
        "adm",
        "admin2",
        "aspnet",
        "backup",
        "console",
        "david",
        "guest",
        "john",
        "owner",
        "root",
        "server",
        "sql",
        "support",
        "support_388945a0",
        "sys",
        "test2",
        "test3",
        "user4",
        "user5",
    ]
)
ADMIN_USERNAME = Rule(
    "1-20 characters of letters, digits, '-' and '_', starting with a letter, and not a reserved name "
    "such as admin, administrator, root or guest",
    lambda v: re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,19}", v) is not None and v.lower() not in RESERVED_ADMIN_NAMES,
)

_DISALLOWED_PASSWORDS = frozenset(
    [
        "abc@123",
        "iloveyou!",
        "P@$$w0rd",
        "P@ssw0rd",
        "P@ssword123",
        "Pa$$word",
        "pass@word1",
        "Password!",
        "Password1",
        "Password22",
    ]
)


PASSWORD_RULE = "12-123 characters with 3 of: a lowercase letter, an uppercase letter, a digit, a symbol"


def password_problem(password: str) -> str | None:
    """Say what is wrong with a VM admin password under Azure's rules, or None when it is acceptable."""
    if not 12 <= len(password) <= 123:
        return "the password must be 12-123 characters long"
    classes = sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    if classes < 3:
        return "the password needs 3 of: a lowercase letter, an uppercase letter, a digit, a symbol"
    if password in _DISALLOWED_PASSWORDS:
        return "Azure refuses this well-known password; choose another"
    return None
