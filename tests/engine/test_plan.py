"""The plan: ordered steps, dependencies and deterministic names."""

import pytest

from wizard import plan as planning
from wizard.answers import parse
from wizard.steps.base import Step

ANSWERS = parse(
    {
        "subscription_id": "00000000-0000-0000-0000-000000000001",
        "region": "eastus",
        "resource_group": "rg",
        "prefix": "abc",
    }
)


def test_names_are_deterministic_and_storage_names_valid():
    first, second = planning.build(ANSWERS).names, planning.build(ANSWERS.model_copy()).names
    assert first == second
    assert first.storage_account.isalnum() and first.storage_account.islower()
    assert 3 <= len(first.storage_account) <= 24
    other = planning.names_for(ANSWERS.model_copy(update={"resource_group": "rg2"}))
    assert other.storage_account != first.storage_account


def test_steps_come_after_what_they_need():
    plan = planning.build(ANSWERS)
    seen: set[str] = set()
    for step in plan.steps:
        assert set(step.needs) <= seen
        seen.add(step.key)
    assert {"resource-group", "register-providers"} <= seen


def test_container_instance_provider_is_always_registered():
    registration = planning.build(ANSWERS).step("register-providers")
    assert "Microsoft.ContainerInstance" in registration.namespaces
    assert {"Microsoft.Network", "Microsoft.Compute"} <= set(registration.namespaces)


def test_cycles_and_missing_dependencies_are_refused(monkeypatch):
    class A(Step):
        key, title, needs = "a", "A", ("b",)

    class B(Step):
        key, title, needs = "b", "B", ("a",)

    monkeypatch.setattr(planning, "STEPS", (A, B))
    with pytest.raises(planning.PlanError, match="cycle"):
        planning.build(ANSWERS)
    monkeypatch.setattr(planning, "STEPS", (A,))
    with pytest.raises(planning.PlanError, match="needs b"):
        planning.build(ANSWERS)
