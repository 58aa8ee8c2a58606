"""`scoring-wizard export --arm DIR`: the setup as an ARM template and parameter file, for support staff who deploy
it themselves (the seed's "Use ARM Script Locally").

Nothing here describes a resource: each resource's body is the one its step PUTs, built by the step's own `body`
with `template_lookups` where a run would read Azure (the tenant, the newest image, this machine's address, a
key), so the template cannot drift from the wizard. What a replay must change becomes a parameter (location,
every name, the admin user, the allowed address, the size); the customer's resource ids become resourceId()
expressions and their identities' principal ids reference() ones. Secrets are securestring parameters with no
value anywhere. What is not ARM (or is PUT by an SDK from its own entities) is listed in the template's
metadata and the README beside it, to be finished by `scoring-wizard run --answers`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import plan as planning
from wizard.answers import Answers
from wizard.azure import roles
from wizard.azure.clients import ClientFactory
from wizard.azure.clouds import AZURE_PUBLIC
from wizard.names import Names, names_for
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, Step, StepContext

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"
ROLE_ASSIGNMENTS = "Microsoft.Authorization/roleAssignments"
SECRET_PARAMETERS = {"adminPassword": "the VM's admin password (asked at deployment; never written)"}
ASKED_PARAMETERS = {"sshPublicKey": "the public key to sign in to the VM with, e.g. @~/.ssh/id_ed25519.pub"}
_EXPRESSION = re.compile(r"^\[(?!\[).*\]$", re.DOTALL)
_PARAMETER = re.compile(r"parameters\('([A-Za-z0-9]+)'\)")


class TemplateError(ValueError):
    """The setup cannot be exported as a template yet; the message says why and what to do."""


@dataclass(frozen=True)
class Exported:
    template: dict[str, Any]
    parameters: dict[str, Any]
    readme: str


class _OfflineCredential:
    """Export reads nothing from Azure: a body that tries to is a bug, and says so."""

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        raise RuntimeError("an ARM template is built offline: a step's body must not call Azure")


def wire_json(body: Any) -> Any:
    """The JSON an SDK operation sends for a body: a dict as it is, an msrest model serialized, a typespec model
    through its package's own encoder without read-only fields (as its operations do)."""
    if type(body) is dict:
        return json.loads(json.dumps(body))
    if not isinstance(body, Mapping):
        return body.serialize()
    base = next(c for c in type(body).__mro__ if c.__name__ == "Model" and c.__module__.endswith("model_base"))
    encoder = sys.modules[base.__module__].SdkJSONEncoder
    return json.loads(json.dumps(body, cls=encoder, exclude_readonly=True))


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Expressions:
    """The customer's literal values (ids, names, region, principal ids) as template expressions."""

    def __init__(self, answers: Answers, names: Names, resources: list[tuple[ArmResource, Outputs]]) -> None:
        subscription, group = answers.subscription_id, names.resource_group
        self.ids: dict[str, tuple[str, str]] = {}  # a literal id, lower-cased → (type, its name's expression)
        self.principals: dict[str, str] = {}
        for step, outputs in resources:
            literal = f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{step.resource_type}/"
            self.ids[(literal + step.resource_name(names)).lower()] = (step.resource_type, name_expression(step, names))
            if outputs.get("principal_id"):
                reference = f"reference({resource_id(step, names)}, '{step.api_version}', 'full')"
                self.principals[outputs["principal_id"].lower()] = f"{reference}.identity.principalId"
        self.definitions = f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/".lower()
        # Values replaced inside longer strings too (`/home/azureuser/...`, `demo-dsvm-osdisk`), and the region
        # only where it is the whole string.
        self.within = {getattr(names, p): f"parameters('{name_parameter(p)}')" for p in _name_properties()}
        self.within[answers.admin_username] = "parameters('adminUsername')"
        self.whole = {answers.region: "parameters('location')", **self.within}

    def of(self, text: str) -> str | None:
        """The expression (without brackets) for a literal string, or None when it is a plain value."""
        lowered = text.lower()
        if lowered in self.ids:
            kind, name = self.ids[lowered]
            return f"resourceId({_quoted(kind)}, {name})"
        for literal, (kind, name) in self.ids.items():
            if lowered.startswith(literal + "/"):  # a child: .../virtualNetworks/x/subnets/default
                parts = text[len(literal) + 1 :].split("/")
                children = ", ".join(_quoted(n) for n in parts[1::2])
                return f"resourceId({_quoted('/'.join([kind, *parts[0::2]]))}, {name}, {children})"
        if lowered in self.principals:
            return self.principals[lowered]
        if lowered.startswith(self.definitions):
            return f"subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {_quoted(text.split('/')[-1])})"
        if text in self.whole:
            return self.whole[text]
        return self._formatted(text)

    def _formatted(self, text: str) -> str | None:
        """A string with a name or the user inside (`/home/azureuser/.ssh/...`, `demo-dsvm-osdisk`) as format()."""
        found = sorted((v for v in self.within if len(v) >= 4 and v in text), key=len, reverse=True)
        if not found:
            return None
        pattern = re.compile("|".join(re.escape(v) for v in found))
        arguments: list[str] = []

        def placeholder(match: re.Match[str]) -> str:
            arguments.append(self.within[match.group(0)])
            return "{" + str(len(arguments) - 1) + "}"

        shape = pattern.sub(placeholder, text.replace("{", "{{").replace("}", "}}"))
        return f"format({_quoted(shape)}, {', '.join(arguments)})"

    def substituted(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: self.substituted(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.substituted(item) for item in value]
        if isinstance(value, str) and not _EXPRESSION.match(value):
            expression = self.of(value)
            return value if expression is None else f"[{expression}]"
        return value


def _name_properties() -> list[str]:
    return [p for p, v in vars(Names).items() if isinstance(v, property) and not p.startswith("_")]


def name_expression(step: ArmResource, names: Names) -> str:
    return f"parameters('{name_parameter(_property_of(step, names))}')"


def resource_id(step: ArmResource, names: Names) -> str:
    return f"resourceId({_quoted(step.resource_type)}, {name_expression(step, names)})"


def name_parameter(prop: str) -> str:
    """The template parameter for one of Names' properties: `vm` → `vmName`."""
    return f"{_camel(prop)}Name"


def _property_of(step: ArmResource, names: Names) -> str:
    name = step.resource_name(names)
    return next(p for p in _name_properties() if getattr(names, p) == name)


def _context(
    step: Step, answers: Answers, names: Names, outputs: Mapping[str, Outputs], files_dir: Path
) -> StepContext:
    clients = ClientFactory(AZURE_PUBLIC, _OfflineCredential(), answers.subscription_id)
    needed = {key: outputs[key] for key in step.needs if key in outputs}
    return StepContext(
        answers, names, AZURE_PUBLIC, clients, files_dir, outputs=needed, previous=outputs.get(step.key, {})
    )


def _depends(step: Step, plan: planning.Plan, templated: Mapping[str, str]) -> list[str]:
    """The templated resources a step needs, directly or through needs the template leaves to the run."""
    found: list[str] = []
    for need in step.needs:
        if need in templated:
            found.append(f"[{templated[need]}]")
        else:
            found.extend(d for d in _depends(plan.step(need), plan, templated) if d not in found)
    return found


def _grant_resource(grant: roles.Grant, answers: Answers, expressions: _Expressions, depends: list[str]) -> dict:
    if grant.scope.lower() not in expressions.ids:
        raise TemplateError(f"a role is granted on {grant.scope}, which the template does not declare")
    kind, name = expressions.ids[grant.scope.lower()]
    principal = expressions.of(grant.principal_id) or _quoted(grant.principal_id)
    body = wire_json(roles.assignment_parameters(answers.subscription_id, grant))
    return {
        "type": ROLE_ASSIGNMENTS,
        "apiVersion": roles.API_VERSION,
        "name": f"[guid(resourceId({_quoted(kind)}, {name}), {principal}, {_quoted(grant.role_id)})]",
        "scope": f"[format({_quoted(kind + '/{0}')}, {name})]",  # an extension resource on one in this group
        **expressions.substituted(body),
        "dependsOn": depends,
    }


def _parameter_values(answers: Answers, names: Names, outputs: Mapping[str, Outputs]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "location": answers.region,
        "adminUsername": answers.admin_username,
        "allowedSourceIp": outputs.get("dsvm-firewall", {}).get("allowed_source") or answers.allowed_source_ip,
        "vmSize": outputs.get("dsvm", {}).get("size") or answers.effective_vm_size,
    }
    values.update({name_parameter(p): getattr(names, p) for p in _name_properties()})
    return values


def build(
    answers: Answers, outputs: Mapping[str, Outputs], files_dir: Path, replay: Answers, answers_file: str
) -> Exported:
    """The template, parameter file and README of a setup whose run finished its ARM steps (`outputs` by key):
    built from the setup's own answers, with the parameter values of `replay` (the answers with the overrides)."""
    plan = planning.build(answers)
    names = plan.names
    arm = [s for s in plan.steps if isinstance(s, ArmResource)]
    granting = [s for s in plan.steps if type(s).grants is not Step.grants]
    missing = [s.key for s in (*arm, *granting) if s.key not in outputs]
    if missing:
        raise TemplateError(
            f"the template is built from the setup's finished run, and these steps have not finished: "
            f"{', '.join(missing)}; run the setup first (scoring-wizard run --checkpoint ...)"
        )
    expressions = _Expressions(answers, names, [(s, outputs[s.key]) for s in arm])
    templated = {s.key: resource_id(s, names) for s in arm}
    resources: list[dict[str, Any]] = []
    for step in arm:
        ctx = _context(step, answers, names, outputs, files_dir)
        body = expressions.substituted(wire_json(step.body(ctx, **step.template_lookups(ctx))))
        name = f"[{name_expression(step, names)}]"
        entry = {"type": step.resource_type, "apiVersion": step.api_version, "name": name, **body}
        resources.append({**entry, "dependsOn": _depends(step, plan, templated)})
    for step in granting:
        for grant in step.grants(_context(step, answers, names, outputs, files_dir)):
            resources.append(_grant_resource(grant, answers, expressions, _depends(step, plan, templated)))
    left = [s for s in plan.steps if s not in arm and s not in granting]
    after = [f"{s.key}: {s.describe(names)}" for s in left]
    finish = f"scoring-wizard run --answers {answers_file}"
    template = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {
            "generator": "scoring-wizard export --arm",
            "resourceGroup": "deploy into a resource group made first (az group create); the group is not in it",
            "afterDeploying": f"run `{finish}` to finish what ARM cannot do here",
            "notInTemplate": after,
        },
        "parameters": {},
        "resources": resources,
    }
    values = _parameter_values(replay, names_for(replay), outputs)
    template["parameters"] = _declared(template, values)
    parameters = {
        "$schema": PARAMETERS_SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {k: {"value": values[k]} for k in template["parameters"] if k in values},
    }
    return Exported(template, parameters, _readme(names_for(replay), template, after, finish))


def referenced(document: Any) -> set[str]:
    """Every parameter a template's expressions name."""
    return set(_PARAMETER.findall(json.dumps(document)))


def _declared(template: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    declared: dict[str, Any] = {}
    for name in sorted(referenced(template["resources"])):
        if name in SECRET_PARAMETERS:
            declared[name] = {"type": "securestring", "metadata": {"description": SECRET_PARAMETERS[name]}}
        elif name in ASKED_PARAMETERS:
            declared[name] = {"type": "string", "metadata": {"description": ASKED_PARAMETERS[name]}}
        elif name in values:
            declared[name] = {"type": "string"}
    return declared


def _readme(names: Names, template: dict[str, Any], after: list[str], finish: str) -> str:
    asked = [f"{p}=..." for p in template["parameters"] if p in SECRET_PARAMETERS or p in ASKED_PARAMETERS]
    lines = [
        "# ARM template of a scoring-wizard setup",
        "",
        "`template.json` declares what the wizard creates as ARM resources, with the bodies the wizard itself sends;",
        "`parameters.json` holds what a replay changes (location, names, admin user, allowed address, VM size).",
        "No secret is in either file: the VM password (when there is one) and the SSH public key are asked for.",
        "",
        "Deploy into a resource group of your own:",
        "",
        "```sh",
        f"az group create --name {names.resource_group} --location $(jq -r .parameters.location.value parameters.json)",
        f"az deployment group create --resource-group {names.resource_group} --template-file template.json \\",
        f"  --parameters @parameters.json {' '.join(asked)}".rstrip(),
        "```",
        "",
        f"After deploying, run `{finish}` to finish: it finds what the template made and does the rest, which",
        "ARM cannot do here (data planes: registering the scoring pipeline, deploying it, publishing code, a first",
        "triggered run, the smoke call; and resources the Azure ML SDK PUTs from its own entities):",
        "",
        *(f"- {item}" for item in after),
        "",
    ]
    return "\n".join(lines)


def write(exported: Exported, folder: Path, answers_text: str, say: Callable[[str], None]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "template.json").write_text(json.dumps(exported.template, indent=2) + "\n", encoding="utf-8")
    (folder / "parameters.json").write_text(json.dumps(exported.parameters, indent=2) + "\n", encoding="utf-8")
    (folder / "answers.toml").write_text(answers_text, encoding="utf-8")
    (folder / "README.md").write_text(exported.readme, encoding="utf-8")
    say(f"Wrote {folder}/template.json, parameters.json, answers.toml and README.md")
