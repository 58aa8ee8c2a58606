"""Just enough of ARM's template language to deploy an exported template on paper: the functions export writes
(parameters, resourceId, subscriptionResourceId, subscription, format, reference, guid), evaluated as Azure
Resource Manager would, so a test can hold each resource's body against what the wizard PUT."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),.]))")


@dataclass
class Deployment:
    subscription_id: str
    resource_group: str
    tenant_id: str
    parameters: dict[str, Any]
    reference: Callable[[str, str], dict[str, Any]]  # (resource id, api-version) → the resource's full JSON

    def resource_id(self, kind: str, *names: str) -> str:
        namespace, *types = kind.split("/")
        path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}/providers/{namespace}/{path}"
        )

    def call(self, function: str, args: list[Any]) -> Any:
        if function == "parameters":
            return self.parameters[args[0]]
        if function == "resourceId":
            return self.resource_id(*args)
        if function == "subscriptionResourceId":
            kind, *names = args
            namespace, *types = kind.split("/")
            path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
            return f"/subscriptions/{self.subscription_id}/providers/{namespace}/{path}"
        if function == "subscription":
            return {"subscriptionId": self.subscription_id, "tenantId": self.tenant_id}
        if function == "format":
            return re.sub(r"\{(\d+)\}", lambda m: str(args[1 + int(m.group(1))]), args[0]).replace("{{", "{")
        if function == "reference":
            return self.reference(args[0], args[1])
        if function == "guid":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(args)))
        raise AssertionError(f"export wrote an ARM function this evaluator does not know: {function}")

    def evaluate(self, value: Any) -> Any:
        """A template value with every `[expression]` string replaced by what it evaluates to."""
        if isinstance(value, dict):
            return {key: self.evaluate(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.evaluate(item) for item in value]
        if isinstance(value, str) and value.startswith("[") and not value.startswith("[[") and value.endswith("]"):
            tokens = [m for m in _TOKEN.finditer(value[1:-1]) if m.group(0).strip()]
            result, rest = self._expression(tokens)
            assert not rest, f"unparsed: {value}"
            return result
        return value

    def _expression(self, tokens: list[re.Match[str]]) -> tuple[Any, list[re.Match[str]]]:
        head, rest = tokens[0], tokens[1:]
        if head.group("string"):
            return head.group("string")[1:-1].replace("''", "'"), rest
        assert head.group("name") and rest and rest[0].group("punct") == "(", f"not a call: {head.group(0)}"
        args: list[Any] = []
        rest = rest[1:]
        while rest[0].group("punct") != ")":
            arg, rest = self._expression(rest)
            args.append(arg)
            if rest[0].group("punct") == ",":
                rest = rest[1:]
        value, rest = self.call(head.group("name"), args), rest[1:]
        while rest and rest[0].group("punct") == ".":
            value, rest = value[rest[1].group("name")], rest[2:]
        return value, rest
