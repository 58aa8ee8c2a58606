"""`scoring-wizard run` creating a Data Science VM against a standalone emulator, checked with plain SDK clients.

What a user of the headless face would check: the full set exists with the DSVM image and a managed identity,
the firewall lets only them in on the right port, the connection instructions work, no secret or token is
written anywhere, and bad sizes, quota, capacity and interruptions are handled as promised.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import signal
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.network import NetworkManagementClient
from cryptography.hazmat.primitives import serialization

from tests.cli.conftest import EXAMPLES, WIZARD, StandaloneEmulator, start_emulator
from tests.conftest import CALLER_IP

PASSWORD = "Dsvm-Test-Pa55word!"
LINUX = ("rg-dsvm-linux", "linux-dsvm")
WINDOWS = ("rg-dsvm-windows", "win-dsvm")


def _answers(tmp_path: Path, example: str, **changes: str | None) -> Path:
    """A copy of an example answers file with some lines replaced (None drops the line)."""
    text = (EXAMPLES / example).read_text()
    for key, value in changes.items():
        line = "" if value is None else f"{key} = {value}"
        text, count = re.subn(rf"(?m)^#?\s*{key} = .*$", line, text)
        if not count:
            text += f"\n{line}\n"
    path = tmp_path / example
    path.write_text(text)
    return path


def _run(emulator: StandaloneEmulator, answers: Path, checkpoint: Path, home: Path, **env: str):
    environment = {**os.environ, "HOME": str(home), "SCORING_WIZARD_EMULATOR": "", **env}
    args = [WIZARD, "run", "--answers", str(answers), "--checkpoint", str(checkpoint)]
    args += ["--emulator", str(emulator.state_dir)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=environment, stdin=subprocess.DEVNULL)


def _vm_puts(emulator: StandaloneEmulator) -> list[dict]:
    return [r for r in emulator.arm_requests() if r["method"] == "PUT" and "/virtualmachines/" in r["path"].lower()]


def _issued_tokens(emulator: StandaloneEmulator) -> list[str]:
    with sqlite3.connect(emulator.state_dir / "emulator.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT token FROM tokens")]


def _written(checkpoint: Path, *streams: str) -> str:
    """Everything the wizard wrote that a user or a support engineer may read."""
    files = [checkpoint, checkpoint.with_suffix(".log")]
    return "\n".join([*(p.read_text() for p in files if p.exists()), *streams])


def _inbound_allowed(emulator: StandaloneEmulator, group: str, nsg: str) -> list:
    rules = emulator.sdk_client(NetworkManagementClient).network_security_groups.get(group, nsg).security_rules
    return [r for r in rules if r.direction == "Inbound" and r.access == "Allow"]


def test_linux_dsvm_full_set_with_a_working_tunnel_command(standalone_emulator, tmp_path: Path):
    checkpoint, home = tmp_path / "linux.json", tmp_path / "home"
    answers = _answers(tmp_path, "linux.toml", allowed_source_ip=None)
    result = _run(standalone_emulator, answers, checkpoint, home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All steps succeeded." in result.stdout

    group, name = LINUX
    vm = standalone_emulator.sdk_client(ComputeManagementClient).virtual_machines.get(group, name)
    assert vm.storage_profile.image_reference.publisher == "microsoft-dsvm"
    assert vm.storage_profile.image_reference.offer == "ubuntu-2204"
    assert vm.identity.type == "SystemAssigned" and vm.identity.principal_id
    assert vm.os_profile.linux_configuration.disable_password_authentication is True
    [rule] = _inbound_allowed(standalone_emulator, group, "linux-dsvm-nsg")
    assert (rule.destination_port_range, rule.source_address_prefix, rule.protocol) == ("22", CALLER_IP, "Tcp")

    fqdn = standalone_emulator.sdk_client(NetworkManagementClient).public_ip_addresses.get(group, "linux-dsvm-ip")
    fqdn = fqdn.dns_settings.fqdn
    [line] = [line for line in result.stdout.splitlines() if line.strip().startswith("Tunnel: ")]
    argv = shlex.split(line.strip().removeprefix("Tunnel: "))
    key_file = Path(argv[argv.index("-i") + 1])
    assert argv[:3] == ["ssh", "-L", "8000:localhost:8000"] and argv[-1] == f"azureuser@{fqdn}"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and key_file.parent == checkpoint.with_suffix(".files")
    private = serialization.load_ssh_private_key(key_file.read_bytes(), password=None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    installed = vm.os_profile.linux_configuration.ssh.public_keys[0]
    assert installed.key_data.startswith(public.decode()) and installed.path == "/home/azureuser/.ssh/authorized_keys"
    assert "https://localhost:8000" in result.stdout

    status = subprocess.run([WIZARD, "status", "--checkpoint", str(checkpoint)], capture_output=True, text=True)
    assert line.strip() in status.stdout
    written = _written(checkpoint, result.stdout, result.stderr, status.stdout)
    key_body = "".join(key_file.read_text().splitlines()[1:-1])
    assert key_body[:40] not in written.replace("\n", "") and "PRIVATE KEY" not in written
    for token in _issued_tokens(standalone_emulator):
        assert token not in written
    assert "Bearer" not in written


def test_windows_dsvm_leaves_an_rdp_file_and_no_password_anywhere(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "windows.json"
    answers = _answers(tmp_path, "windows.toml")
    result = _run(standalone_emulator, answers, checkpoint, tmp_path, SCORING_WIZARD_VM_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stdout + result.stderr

    group, name = WINDOWS
    vm = standalone_emulator.sdk_client(ComputeManagementClient).virtual_machines.get(group, name)
    assert (vm.storage_profile.image_reference.publisher, vm.storage_profile.image_reference.offer) == (
        "microsoft-dsvm",
        "dsvm-win-2022",
    )
    assert vm.identity.type == "SystemAssigned" and vm.os_profile.admin_password is None
    [rule] = _inbound_allowed(standalone_emulator, group, "win-dsvm-nsg")
    assert (rule.destination_port_range, rule.source_address_prefix) == ("3389", "203.0.113.7")

    rdp = checkpoint.with_suffix(".files") / "win-dsvm.rdp"
    assert stat.S_IMODE(rdp.stat().st_mode) == 0o600
    fields = dict(line.split(":", 1) for line in rdp.read_text().splitlines() if line)
    fqdn = standalone_emulator.sdk_client(NetworkManagementClient).public_ip_addresses.get(group, "win-dsvm-ip")
    assert fields["full address"] == f"s:{fqdn.dns_settings.fqdn}:3389"
    assert fields["username"] == "s:azureuser"
    assert str(rdp) in result.stdout

    written = _written(checkpoint, result.stdout, result.stderr, rdp.read_text())
    assert PASSWORD not in written
    assert PASSWORD not in (standalone_emulator.state_dir / "emulator.sqlite3").read_bytes().decode("latin-1")
    for token in _issued_tokens(standalone_emulator):
        assert token not in written


def test_windows_without_a_password_stops_before_any_azure_call(standalone_emulator, tmp_path: Path):
    answers = _answers(tmp_path, "windows.toml")
    result = _run(standalone_emulator, answers, tmp_path / "w.json", tmp_path)
    assert result.returncode == 2
    assert "SCORING_WIZARD_VM_PASSWORD" in result.stderr and "never stored" in result.stderr
    weak = _run(standalone_emulator, answers, tmp_path / "w.json", tmp_path, SCORING_WIZARD_VM_PASSWORD="weakpass")
    assert weak.returncode == 2 and "12-123 characters" in weak.stderr
    assert standalone_emulator.arm_requests() == []


@pytest.mark.parametrize(
    ("admin", "body", "code", "alternative"),
    [
        (
            "compute/restrictions",
            {"region": "eastus", "size": "Standard_D4s_v5"},
            "SkuNotAvailable",
            "Standard_D4as_v5",
        ),
        ("compute/quotas", {"region": "eastus", "name": "standardDSv5Family", "limit": 2}, "QuotaExceeded", "D4as_v5"),
    ],
)
def test_unusable_size_stops_before_the_vm_put_naming_alternatives(
    standalone_emulator, tmp_path: Path, admin: str, body: dict, code: str, alternative: str
):
    standalone_emulator.admin(admin, body)
    result = _run(standalone_emulator, EXAMPLES / "linux.toml", tmp_path / "l.json", tmp_path / "home")
    assert result.returncode == 1
    [failed] = [line for line in result.stdout.splitlines() if "✗ dsvm " in line]
    assert code in failed and alternative in failed and "Sizes you can use here" in failed
    assert "what to do: Set vm_size" in result.stdout
    assert _vm_puts(standalone_emulator) == []


def test_allocation_failure_shows_the_hint_and_asks_the_password_again(standalone_emulator, tmp_path: Path):
    fault = {
        "method": "PUT",
        "path_pattern": "virtualMachines/win-dsvm$",
        "status": 200,
        "code": "AllocationFailed",
        "message": "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.",
        "async_failure": True,
    }
    standalone_emulator.admin("faults", fault)
    answers, checkpoint = _answers(tmp_path, "windows.toml"), tmp_path / "w.json"
    first = _run(standalone_emulator, answers, checkpoint, tmp_path, SCORING_WIZARD_VM_PASSWORD=PASSWORD)
    assert first.returncode == 1
    assert "AllocationFailed" in first.stdout and "what happened: Azure has no capacity" in first.stdout
    assert "aka.ms/allocation-guidance" in first.stdout
    again = _run(standalone_emulator, answers, checkpoint, tmp_path)
    assert again.returncode == 2 and "SCORING_WIZARD_VM_PASSWORD" in again.stderr
    last = _run(standalone_emulator, answers, checkpoint, tmp_path, SCORING_WIZARD_VM_PASSWORD=PASSWORD)
    assert last.returncode == 0, last.stdout + last.stderr
    assert len(_vm_puts(standalone_emulator)) == 2


def _dsvm_token(checkpoint: Path) -> str | None:
    try:
        return json.loads(checkpoint.read_text())["steps"].get("dsvm", {}).get("continuation_token")
    except (OSError, ValueError):
        return None


def test_sigkill_during_the_vm_create_reattaches_without_a_second_put_or_password(tmp_path: Path):
    emulator = start_emulator(tmp_path / "emulator", latency_scale=0.1)
    try:
        answers, checkpoint = _answers(tmp_path, "windows.toml"), tmp_path / "w.json"
        args = [WIZARD, "run", "--answers", str(answers), "--checkpoint", str(checkpoint)]
        args += ["--emulator", str(emulator.state_dir)]
        env = {**os.environ, "HOME": str(tmp_path), "SCORING_WIZARD_VM_PASSWORD": PASSWORD}
        first = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 30
        while not _dsvm_token(checkpoint):
            assert time.monotonic() < deadline and first.poll() is None, "the VM create never started"
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()

        env.pop("SCORING_WIZARD_VM_PASSWORD")
        second = _run(emulator, answers, checkpoint, tmp_path)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "re-attaching" in second.stdout
        assert len(_vm_puts(emulator)) == 1
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def _converse(fd: int, replies: list[tuple[str, str]], timeout: float = 60) -> str:
    """Answer each prompt on a terminal as it appears; return everything the terminal showed."""
    shown, deadline = "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replies and replies[0][0] in shown:
            prompt, reply = replies.pop(0)
            shown = shown.replace(prompt, "[answered]", 1)
            os.write(fd, reply.encode() + b"\n")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return shown
            if not chunk:
                return shown
            shown += chunk.decode(errors="replace")
    raise AssertionError(f"the terminal conversation timed out:\n{shown}")


def test_on_a_terminal_the_password_is_asked_without_echo(standalone_emulator, tmp_path: Path):
    answers = _answers(tmp_path, "windows.toml")
    args = [WIZARD, "run", "--answers", str(answers), "--checkpoint", str(tmp_path / "w.json")]
    args += ["--emulator", str(standalone_emulator.state_dir)]
    env = {**os.environ, "HOME": str(tmp_path), "SCORING_WIZARD_EMULATOR": ""}
    env.pop("SCORING_WIZARD_VM_PASSWORD", None)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(WIZARD, args, env)
    shown = _converse(
        fd,
        [
            ("Password for azureuser on win-dsvm:", "tooweak"),
            ("Password for azureuser on win-dsvm:", PASSWORD),
            ("Confirm:", PASSWORD),
        ],
    )
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert "12-123 characters" in shown and "All steps succeeded." in shown
    assert PASSWORD not in shown and "tooweak" not in shown
