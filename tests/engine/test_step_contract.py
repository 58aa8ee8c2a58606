"""Steps read only what their dependencies promise: every `ctx.outputs["dep"]["key"]` in a step's module names a
step in its `needs` and a key in that step's `provides`, so a typo or a missing dependency fails here, not as a
KeyError twenty minutes into a run."""

from __future__ import annotations

import ast
import inspect

import pytest

from wizard import plan as planning
from wizard.steps.base import Step


def _reads(step_class: type[Step]) -> set[tuple[str, str]]:
    """(dependency, key) pairs read as ctx.outputs["dependency"]["key"] anywhere in the step's module."""
    tree = ast.parse(inspect.getsource(inspect.getmodule(step_class)))
    found = set()
    for node in ast.walk(tree):
        inner = node.value if isinstance(node, ast.Subscript) else None
        if (
            isinstance(inner, ast.Subscript)
            and isinstance(inner.value, ast.Attribute)
            and inner.value.attr == "outputs"
            and isinstance(inner.slice, ast.Constant)
            and isinstance(node.slice, ast.Constant)
        ):
            found.add((inner.slice.value, node.slice.value))
    return found


@pytest.mark.parametrize("step_class", planning.STEPS, ids=lambda cls: cls.key)
def test_a_step_reads_only_what_its_needs_provide(step_class: type[Step]):
    by_key = {cls.key: cls for cls in planning.STEPS}
    for dependency, key in _reads(step_class):
        assert dependency in step_class.needs, f"{step_class.key} reads {dependency} outputs but does not need it"
        assert key in by_key[dependency].provides, f"{step_class.key} reads {dependency}[{key!r}], not provided"


def test_the_contract_check_sees_reads():
    from wizard.steps.dsvm_nic import DsvmNic

    assert ("dsvm-network", "subnet_id") in _reads(DsvmNic)
