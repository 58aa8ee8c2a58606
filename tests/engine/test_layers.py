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
