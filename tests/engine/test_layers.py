"""The engine never imports a face: the TUI and the headless run must stay two consumers of one engine."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "wizard"
FACES = ("screens", "textual", "questionary")


def test_no_engine_module_imports_a_user_interface():
    offenders = []
    for module in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{module.relative_to(ENGINE.parent)}: {n}" for n in names if n.split(".")[0] in FACES]
    assert offenders == []


HEAVY = ("azure.mgmt", "azure.storage", "azure.ai.ml", "textual", "questionary")


def _loaded_after(statement: str) -> list[str]:
    import subprocess
    import sys

    probe = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return sorted({name for name in loaded.split() if name.startswith(HEAVY)})


def test_the_command_line_loads_no_sdk_and_no_ui():
    """`scoring-wizard --help` must stay instant: SDKs are imported by the steps and checks that use them."""
    assert _loaded_after("import wizard.cli; wizard.cli.build_parser()") == []


def test_building_a_plan_loads_no_sdk():
    """Plans are built for `status` and the review screen: listing steps must not import every SDK."""
    assert _loaded_after("import wizard.plan, wizard.session, wizard.status") == []


def test_no_import_cycles_among_engine_modules():
    """Module-level imports between wizard modules form no cycle (imports inside functions are not counted)."""
    files = {
        ".".join(path.relative_to(ENGINE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in ENGINE.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        edges = graph.setdefault(name, set())
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wizard"):
                # `from package import module` depends on the module; `from module import name` on the module.
                modules = {f"{node.module}.{alias.name}" for alias in node.names} & files.keys()
                edges.update(modules or {node.module})
            elif isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names if alias.name.startswith("wizard"))

    def cycle_from(start: str, here: str, seen: tuple[str, ...]) -> tuple[str, ...] | None:
        for target in sorted(graph.get(here, ())):
            if target == start:
                return (*seen, target)
            if target in graph and target not in seen:
                found = cycle_from(start, target, (*seen, target))
                if found:
                    return found
        return None

    cycles = [found for name in sorted(graph) if (found := cycle_from(name, name, (name,)))]
    assert cycles == []
