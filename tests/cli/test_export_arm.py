"""export --arm: the template holds, resource for resource, the very bodies the run PUT (so it cannot drift from
the steps), is a valid template on its own, and no secret reaches any file it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.arm_expressions import Deployment
from tests.cli.conftest import DEMO_ANSWERS, StandaloneEmulator, run_args, wizard
from wizard import answers as answer_files
from wizard.emulator import DEMO

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExportTestKeyExportTestKeyExportTestKey00 support@example"
ENVELOPE = ("type", "apiVersion", "name", "dependsOn", "scope")
# What the run PUTs that the template leaves to `run --answers`: the group itself, and what azure-ai-ml PUTs
# from its own entities (computes, data, code, components, batch endpoints and deployments, schedules).
LEFT_TO_THE_RUN = ("resourcegroups", "/workspaces/")


def _export(emulator: StandaloneEmulator, tmp_path: Path, monkeypatch, answers: Path = DEMO_ANSWERS) -> Path:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519.pub").write_text(SSH_KEY + "\n")
    monkeypatch.setenv("HOME", str(home))
    checkpoint = tmp_path / "customer" / "setup.json"
    ran = wizard(*run_args(checkpoint, emulator, answers))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    folder = tmp_path / "arm"
    exported = wizard("export", "--checkpoint", str(checkpoint), "--arm", str(folder))
    assert exported.returncode == 0, exported.stderr
    return folder


def _deployment(emulator: StandaloneEmulator, folder: Path, **asked: str) -> Deployment:
    group = answer_files.load(folder / "answers.toml").resource_group
    values = {k: v["value"] for k, v in json.loads((folder / "parameters.json").read_text())["parameters"].items()}
    client = emulator.sdk_client(ResourceManagementClient)

    def reference(resource_id: str, api_version: str) -> dict:
        found = client.resources.get_by_id(resource_id, api_version=api_version)
        return {"identity": {"principalId": found.identity.principal_id}}

    return Deployment(DEMO.subscription_id, group, DEMO.tenant_id, {**values, **asked}, reference)


def _puts(emulator: StandaloneEmulator) -> list[dict]:
    return [r for r in emulator.arm_requests() if r["method"] == "PUT" and r["status"] in (200, 201, 202)]


def _target(deployment: Deployment, resource: dict) -> str:
    """The path a template resource is PUT at, lower-cased; a role assignment's own name is a guid of the
    deployment's choosing, so its path ends at the collection."""
    if "scope" in resource:
        scope = deployment.evaluate(resource["scope"])
        group = f"/subscriptions/{deployment.subscription_id}/resourceGroups/{deployment.resource_group}"
        return f"{group}/providers/{scope}/providers/{resource['type']}/".lower()
    return deployment.resource_id(resource["type"], deployment.evaluate(resource["name"])).lower()


def test_the_template_holds_every_body_the_run_put(standalone_emulator, tmp_path: Path, monkeypatch):
    folder = _export(standalone_emulator, tmp_path, monkeypatch)
    template = json.loads((folder / "template.json").read_text())
    deployment = _deployment(standalone_emulator, folder, sshPublicKey=SSH_KEY)
    targets = {_target(deployment, resource): resource for resource in template["resources"]}
    matched = set()
    for put in _puts(standalone_emulator):
        path = put["path"].lower()
        target = next((t for t in targets if path == t or (t.endswith("/") and path.startswith(t))), None)
        if target is None:
            assert any(part in path for part in LEFT_TO_THE_RUN), f"the run PUT {path}, which the template lacks"
            continue
        resource = targets[target]
        body = {k: v for k, v in resource.items() if k not in ENVELOPE}
        assert deployment.evaluate(body) == put["body"], f"{path}: the template's body is not what the run PUT"
        assert f"api-version={resource['apiVersion']}" in put["query"], f"{path}: another api-version"
        matched.add(target)
    assert matched == set(targets), f"template resources the run never PUT: {set(targets) - matched}"
    kinds = {r["type"] for r in template["resources"]}
    assert {"Microsoft.Compute/virtualMachines", "Microsoft.Authorization/roleAssignments"} <= kinds
    left = " ".join(template["metadata"]["notInTemplate"])
    for step in ("cpu-cluster", "scoring-pipeline", "batch-endpoint", "smoke-call", "amlschedule"):
        assert step in left
    readme = (folder / "README.md").read_text()
    assert "scoring-wizard run --answers answers.toml" in readme and "batch-endpoint" in readme


@pytest.fixture
def windows_answers(tmp_path: Path) -> Path:
    text = DEMO_ANSWERS.read_text().replace('vm_os = "linux"', 'vm_os = "windows"')
    assert 'vm_os = "windows"' in text
    path = tmp_path / "windows.toml"
    path.write_text(text)
    return path


def test_the_template_is_valid_and_holds_no_secret(standalone_emulator, tmp_path: Path, monkeypatch, windows_answers):
    password = "Arm-Export-Not-4-You!"
    monkeypatch.setenv("SCORING_WIZARD_VM_PASSWORD", password)
    folder = _export(standalone_emulator, tmp_path, monkeypatch, windows_answers)
    template = json.loads((folder / "template.json").read_text())
    parameters = json.loads((folder / "parameters.json").read_text())["parameters"]

    text = json.dumps(template)
    declared = template["parameters"]
    referenced = {name for name in declared if f"parameters('{name}')" in text}
    assert referenced == set(declared), "every declared parameter is used"
    for name in ("location", "adminUsername", "vmName", "workspaceName", "storageAccountName"):
        assert name in declared and name in parameters
    import re

    assert set(re.findall(r"parameters\('(\w+)'\)", text)) <= set(declared), "every parameter used is declared"
    assert declared["adminPassword"]["type"] == "securestring" and "adminPassword" not in parameters
    names = {(r["type"], r["name"]) for r in template["resources"]}
    for resource in template["resources"]:
        for dependency in resource["dependsOn"]:
            kind, name = re.fullmatch(r"\[resourceId\('([^']+)', (parameters\('\w+'\))\)\]", dependency).groups()
            assert (kind, f"[{name}]") in names, f"{resource['type']} depends on {dependency}, not in the template"
    assert DEMO.subscription_id not in text, "the customer's ids are resourceId() expressions"
    for written in folder.iterdir():
        assert password not in written.read_text(), f"{written.name} holds the VM password"

    deployment = _deployment(standalone_emulator, folder, adminPassword="***")
    vm = next(r for r in template["resources"] if r["type"] == "Microsoft.Compute/virtualMachines")
    put = next(p for p in _puts(standalone_emulator) if "/virtualmachines/" in p["path"].lower())
    body = {k: v for k, v in vm.items() if k not in ENVELOPE}
    assert deployment.evaluate(body) == put["body"], "the Windows VM too (the emulator's log masks the password)"
