"""The ML steps read only what their needs provide, checked as tests/engine/test_step_contract.py checks STEPS
(the "workspace" step joins the plan from another branch; its agreed outputs stand in for it here)."""

from __future__ import annotations

import pytest

from tests.engine.test_step_contract import _reads
from wizard import plan as planning
from wizard.steps.base import Step

WORKSPACE_PROVIDES = ("id", "name", "location", "discovery_url", "principal_id", "storage_account_id", "portal")


@pytest.mark.parametrize("step_class", planning.ML_PIPELINE_STEPS, ids=lambda cls: cls.key)
def test_an_ml_step_reads_only_what_its_needs_provide(step_class: type[Step]):
    provides = {cls.key: cls.provides for cls in (*planning.STEPS, *planning.ML_PIPELINE_STEPS)}
    provides["workspace"] = WORKSPACE_PROVIDES
    for dependency, key in _reads(step_class):
        assert dependency in step_class.needs, f"{step_class.key} reads {dependency} outputs but does not need it"
        assert key in provides[dependency], f"{step_class.key} reads {dependency}[{key!r}], not provided"
