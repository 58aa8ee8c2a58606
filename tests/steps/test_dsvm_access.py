"""Signing in and connecting: SSH keys, the .rdp file, the tunnel command, the caller's address, the password."""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.conftest import CALLER_IP
from tests.steps.conftest import dsvm_answers
from wizard import plan as planning
from wizard import secret_inputs
from wizard.answers import AnswersError, check_field
from wizard.azure.errors import StepError
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.dsvm import admin_password, caller_ip, how_to_connect, ssh_keys
from wizard.redact import scrub


def test_the_users_own_key_is_used_as_it_is(tmp_path: Path):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa.pub").write_text("ssh-rsa AAAAB3Nza mine@laptop\n")
    key = ssh_keys.ssh_key(tmp_path / "files", "vm", home=home)
    assert key.public == "ssh-rsa AAAAB3Nza mine@laptop" and not key.generated
    (home / ".ssh" / "id_ed25519.pub").write_text("ssh-ed25519 AAAAC3Nz preferred\n")
    assert ssh_keys.ssh_key(tmp_path / "files", "vm", home=home).public.startswith("ssh-ed25519")
    assert not (tmp_path / "files").exists()


def test_without_a_key_one_is_made_owner_only_and_reused(tmp_path: Path):
    files = tmp_path / "setup.files"
    first = ssh_keys.ssh_key(files, "vm", home=tmp_path / "empty-home")
    assert first.generated and first.identity_file == files / "vm_id_ed25519"
    assert stat.S_IMODE(first.identity_file.stat().st_mode) == 0o600
    private = serialization.load_ssh_private_key(first.identity_file.read_bytes(), password=None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert first.public.startswith(public.decode())
    again = ssh_keys.ssh_key(files, "vm", home=tmp_path / "empty-home")
    assert again == first


def test_rdp_file_is_owner_only_and_names_host_and_user(tmp_path: Path):
    path = how_to_connect.write_rdp_file(tmp_path / "files", "win-dsvm", "win.eastus.cloudapp.example", "ada")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_bytes().decode().split("\r\n")
    assert "full address:s:win.eastus.cloudapp.example:3389" in lines
    assert "username:s:ada" in lines
    assert not any("password" in line.lower() for line in lines)


def test_tunnel_command_forwards_jupyter():
    command = how_to_connect.ssh_tunnel_command("h.example", "ada", Path("/keys/my key"))
    assert shlex.split(command) == ["ssh", "-L", "8000:localhost:8000", "-i", "/keys/my key", "ada@h.example"]
    assert how_to_connect.ssh_tunnel_command("h.example", "ada") == "ssh -L 8000:localhost:8000 ada@h.example"


def test_caller_ip_comes_from_the_echo_service():
    assert caller_ip.detect() == CALLER_IP


def test_caller_ip_detection_failure_is_none(monkeypatch):
    monkeypatch.setenv(caller_ip.ECHO_URL_ENV, "http://127.0.0.1:1/")
    assert caller_ip.detect(timeout=1) is None


def test_allowed_source_accepts_addresses_networks_and_an_explicit_star():
    assert check_field("allowed_source_ip", "*") is None
    assert check_field("allowed_source_ip", "203.0.113.0/24") is None
    assert "IPv4" in (check_field("allowed_source_ip", "300.1.2.3") or "")
    with pytest.raises(AnswersError):
        dsvm_answers(allowed_source_ip="any")


def test_password_rules_include_azures_and_the_user_name():
    spec = admin_password.spec(dsvm_answers(admin_username="ada"))
    assert spec.env_var == "SCORING_WIZARD_VM_PASSWORD"
    assert "12-123" in (spec.validate("Short1!") or "")
    assert "3 of" in (spec.validate("alllowercaseletters") or "")
    assert "user name" in (spec.validate("Ada-Lovelace-1815") or "")
    assert spec.validate("Correct-Horse-9-Battery") is None


def test_only_windows_or_an_insisting_linux_user_needs_a_password():
    def needs(**changes) -> list[str]:
        plan = planning.build(dsvm_answers(**changes))
        return [spec.name for step in plan.steps for spec in step.secrets(plan.answers)]

    assert needs(vm_os="windows") == [admin_password.NAME]
    assert needs(vm_os="linux") == []
    assert needs(vm_os="linux", linux_password_login=True) == [admin_password.NAME]


def test_the_password_is_asked_again_only_while_the_vm_is_not_created(tmp_path: Path):
    answers = dsvm_answers(vm_os="windows")
    plan = planning.build(answers)
    with Checkpoint.open(tmp_path / "cp.json", answers) as checkpoint:
        assert [s.name for s in secret_inputs.pending(plan.secrets(), checkpoint)] == [admin_password.NAME]
        checkpoint.update("dsvm", status=StepStatus.FAILED)
        assert secret_inputs.pending(plan.secrets(), checkpoint), "a failed create must be given the password again"
        checkpoint.update("dsvm", status=StepStatus.RUNNING, continuation_token="tok")
        assert secret_inputs.pending(plan.secrets(), checkpoint) == [], "re-attaching needs no password"
        checkpoint.update("dsvm", status=StepStatus.SUCCEEDED, continuation_token=None)
        assert secret_inputs.pending(plan.secrets(), checkpoint) == []


def test_a_secret_is_checked_kept_and_scrubbed():
    spec = admin_password.spec(dsvm_answers(vm_os="windows"))
    with pytest.raises(StepError) as missing:
        secret_inputs.value(spec)
    assert missing.value.info.code == "SecretMissing" and "SCORING_WIZARD_VM_PASSWORD" in missing.value.info.todo
    assert secret_inputs.provide(spec, "weak") is not None
    assert not secret_inputs.have(spec)
    assert secret_inputs.provide(spec, 'Quote"And\\Slash-9') is None
    assert secret_inputs.value(spec) == 'Quote"And\\Slash-9'
    assert "Quote" not in scrub('{"p": "Quote\\"And\\\\Slash-9"} and Quote"And\\Slash-9')
