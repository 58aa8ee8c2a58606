"""The DSVM steps run by the runner against the in-process emulator, read back with plain SDK clients."""

from __future__ import annotations

from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.devtestlabs import DevTestLabsClient
from azure.mgmt.network import NetworkManagementClient

from tests.conftest import CALLER_IP
from tests.steps.conftest import dsvm_answers, failure
from wizard import events
from wizard.dsvm import admin_password, caller_ip
from wizard.names import names_for
from wizard.secret_inputs import provide

GROUP = "rg-dsvm-test"


def _inbound_allowed(connection, name: str = "tst-dsvm-nsg") -> list:
    nsg = connection.clients.get(NetworkManagementClient).network_security_groups.get(GROUP, name)
    return [r for r in nsg.security_rules if r.direction == "Inbound" and r.access == "Allow"]


def test_linux_dsvm_opens_ssh_to_the_detected_caller_only(run_setup, connection):
    ok, seen = run_setup(dsvm_answers(auto_shutdown=None))
    assert ok
    assert "dsvm-shutdown" not in {e.key for e in seen}
    [rule] = _inbound_allowed(connection)
    assert (rule.destination_port_range, rule.source_address_prefix, rule.protocol) == ("22", CALLER_IP, "Tcp")
    vm = connection.clients.get(ComputeManagementClient).virtual_machines.get(GROUP, "tst-dsvm")
    assert vm.os_profile.linux_configuration.disable_password_authentication is True
    nic = connection.clients.get(NetworkManagementClient).network_interfaces.get(GROUP, "tst-dsvm-nic")
    assert nic.network_security_group.id.lower().endswith("/networksecuritygroups/tst-dsvm-nsg")
    assert nic.ip_configurations[0].public_ip_address.id.lower().endswith("/publicipaddresses/tst-dsvm-ip")


def test_a_new_caller_address_moves_the_rule_on_the_next_run(run_setup, connection, monkeypatch):
    assert run_setup(dsvm_answers())[0]
    monkeypatch.setattr(caller_ip, "detect", lambda timeout=5.0: "192.0.2.44")
    ok, seen = run_setup(dsvm_answers())
    assert ok
    assert [r.source_address_prefix for r in _inbound_allowed(connection)] == ["192.0.2.44"]
    reused = {e.key for e in seen if isinstance(e, events.StepSucceeded) and e.reused}
    assert "dsvm" in reused and "dsvm-firewall" not in reused


def test_undetectable_caller_stops_before_the_firewall_with_a_remedy(run_setup, monkeypatch):
    monkeypatch.setenv(caller_ip.ECHO_URL_ENV, "http://127.0.0.1:1/")
    ok, seen = run_setup(dsvm_answers())
    assert not ok
    error = failure(seen, "dsvm-firewall").error
    assert error.code == "CallerIpUnknown" and "allowed_source_ip" in error.todo
    blocked = {e.key for e in seen if isinstance(e, events.StepBlocked)}
    assert {"dsvm-nic", "dsvm"} <= blocked


def test_an_explicit_star_opens_rdp_to_anywhere_with_a_warning(run_setup, connection):
    answers = dsvm_answers(vm_os="windows", allowed_source_ip="*")
    assert provide(admin_password.spec(answers), "Correct-Horse-9-Battery") is None
    ok, seen = run_setup(answers)
    assert ok
    [rule] = _inbound_allowed(connection)
    assert (rule.destination_port_range, rule.source_address_prefix) == ("3389", "*")
    warnings = [e.line for e in seen if isinstance(e, events.StepLog) and "WARNING" in e.line]
    assert warnings and "whole internet" in warnings[0]


def test_auto_shutdown_at_the_chosen_time_and_zone(run_setup, connection):
    answers = dsvm_answers(auto_shutdown="07:30", auto_shutdown_time_zone="W. Europe Standard Time")
    assert run_setup(answers)[0]
    schedule = connection.clients.get(DevTestLabsClient).global_schedules.get(
        GROUP, names_for(answers).shutdown_schedule
    )
    assert schedule.name == "shutdown-computevm-tst-dsvm"
    assert (schedule.status, schedule.task_type) == ("Enabled", "ComputeVmShutdownTask")
    assert (schedule.daily_recurrence.time, schedule.time_zone_id) == ("0730", "W. Europe Standard Time")
    assert schedule.target_resource_id.lower().endswith("/virtualmachines/tst-dsvm")


def test_allocation_failure_explains_and_a_rerun_creates_the_vm(run_setup, connection, emulator):
    emulator.inject_fault(
        method="PUT",
        path_pattern="virtualMachines/tst-dsvm$",
        status=200,
        code="AllocationFailed",
        message="Allocation failed. We do not have sufficient capacity for the requested VM size in this region.",
        async_failure=True,
    )
    ok, seen = run_setup(dsvm_answers())
    assert not ok
    error = failure(seen, "dsvm").error
    assert error.code == "AllocationFailed" and "capacity" in error.what and error.link
    ok, _ = run_setup(dsvm_answers())
    assert ok
    vm = connection.clients.get(ComputeManagementClient).virtual_machines.get(GROUP, "tst-dsvm")
    assert vm.provisioning_state == "Succeeded"


def test_an_undetectable_caller_on_a_rerun_keeps_the_existing_rule(run_setup, connection, monkeypatch):
    assert run_setup(dsvm_answers())[0]
    monkeypatch.setenv(caller_ip.ECHO_URL_ENV, "http://127.0.0.1:1/")
    ok, seen = run_setup(dsvm_answers())
    assert ok
    assert any(isinstance(e, events.StepLog) and f"keeping the rule for {CALLER_IP}" in e.line for e in seen)
    assert [r.source_address_prefix for r in _inbound_allowed(connection)] == [CALLER_IP]


def test_linux_password_login_only_when_asked_for(run_setup, connection):
    answers = dsvm_answers(linux_password_login=True)
    assert provide(admin_password.spec(answers), "Correct-Horse-9-Battery") is None
    ok, seen = run_setup(answers)
    assert ok
    vm = connection.clients.get(ComputeManagementClient).virtual_machines.get(GROUP, "tst-dsvm")
    assert vm.os_profile.linux_configuration.disable_password_authentication is False
    assert vm.os_profile.linux_configuration.ssh.public_keys, "the SSH key is installed as well"
    done = next(e for e in seen if isinstance(e, events.StepSucceeded) and e.key == "dsvm")
    assert not any("sudo passwd" in line for line in done.outputs["instructions"])


def test_a_vm_create_whose_token_was_lost_is_awaited_not_put_again(tmp_path, monkeypatch):
    """Killed between Azure accepting the VM and the checkpoint saving its token: the rerun waits for it."""
    from tests.interrupt import stop_once_accepted
    from wizard.checkpoint import StepStatus
    from wizard.connect import EmulatorEndpoint
    from wizard.emulator import Emulator
    from wizard.session import open_session

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "setup.json"
    with Emulator(tmp_path / "slow", latency_scale=0.1) as slow:
        endpoint = EmulatorEndpoint(**slow.endpoint())
        with open_session(dsvm_answers(), checkpoint_path=path, emulator=endpoint) as session:
            stop_once_accepted(session, "dsvm", lambda event: None)
            session.checkpoint.update("dsvm", status=StepStatus.RUNNING, continuation_token=None)

        seen: list[events.Event] = []
        with open_session(dsvm_answers(), checkpoint_path=path, emulator=endpoint) as session:
            assert session.runner(seen.append, poll_interval=0.02).run()
        vm_puts = [r for r in slow.request_log() if r["method"] == "PUT" and r["path"].endswith("/tst-dsvm")]
    assert len(vm_puts) == 1
    assert any(isinstance(e, events.StepLog) and "still being created" in e.line for e in seen)
