"""The full fault matrix: every step of the plan x every fault kind of the emulator (tests/reliability/faults.py),
printed as a table (survived, clear failure then resumed, duplicates, leaked, tracebacks per cell) and one summary
line. Cells where the step makes no call the fault can hit (an operation that never ends, on a step with no
long-running call) are shown as n/a and not counted.

Run: .venv/bin/python bench/faults.py [STEP ...]. CI runs a seeded subset (tests/reliability/test_fault_matrix.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.faults import Cell, full_matrix, run_cells  # noqa: E402


def _mark(cell: Cell) -> str:
    if not cell.applicable:
        return "n/a"
    if not cell.holds:
        return "FAIL"
    return "ok" if cell.survived else "resumed"


def main() -> int:
    # The wizard's setup locks live in the per-user state folder: one of the bench's own, not the user's.
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="scoring-wizard-bench-")
    wanted = set(sys.argv[1:])
    cells = [cell for cell in full_matrix() if not wanted or cell[1] in wanted]
    with tempfile.TemporaryDirectory() as folder:
        results = run_cells(Path(folder), cells, lambda c: print(f"  {c.step} x {c.kind}: {_mark(c)}", flush=True))
    steps = list(dict.fromkeys(c.step for c in results))
    kinds = list(dict.fromkeys(c.kind for c in results))
    by_cell = {(c.step, c.kind): c for c in results}
    width = max(len(s) for s in steps)
    print("ok = survived (retried, told in the pane); resumed = clear failure, then a resume completed")
    print(f"{'step':<{width}}  " + "  ".join(f"{k[:9]:>9}" for k in kinds))
    for step in steps:
        print(f"{step:<{width}}  " + "  ".join(f"{_mark(by_cell[(step, k)]):>9}" for k in kinds))
    counted = [c for c in results if c.applicable]
    for cell in results:
        if not cell.applicable:
            print(f"n/a {cell.step} x {cell.kind}: not a cell, {cell.detail}")
        elif not cell.holds:
            print(f"FAIL {cell.step} x {cell.kind}: {cell.detail}; duplicates {cell.duplicates}")
    print(f"not applicable = {len(results) - len(counted)}, kinds = {len(kinds)}, steps = {len(steps)}")
    print(
        f"cells = {len(counted)}, survived = {sum(c.survived and c.holds for c in counted)}, "
        f"clear_failure_then_resumed = {sum(c.failed_clearly and c.resumed and c.holds for c in counted)}, "
        f"duplicates = {sum(len(c.duplicates) for c in counted)}, leaked = {sum(c.leaked for c in counted)}, "
        f"tracebacks = {sum(c.tracebacks for c in counted)}"
    )
    return 0 if all(c.holds for c in counted) else 1


if __name__ == "__main__":
    sys.exit(main())
