"""The full kill sweep: SIGKILL a headless demo run at 20 seeded moments spread over the plan, resume each, and
print a table (moment, steps done at the kill, checkpoint valid, resumed, same end state, duplicates).

Run: .venv/bin/python bench/kills.py [SEED] [COUNT]. CI runs a few of these kills (tests/reliability/test_kills.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.kills import sweep  # noqa: E402


def main() -> int:
    # The wizard's setup locks live in the per-user state folder: one of the bench's own, not the user's.
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="scoring-wizard-bench-")
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    results = sweep(seed, count)
    print(f"{'kill at':>8}  {'steps done':>10}  {'checkpoint':>10}  {'resumed':>7}  {'end state':>9}  duplicates")
    for r in results:
        print(
            f"{r.at:>7.2f}s  {r.steps_done:>10}  {'valid' if r.checkpoint_valid else 'BAD':>10}  "
            f"{'yes' if r.resumed else 'NO':>7}  {'same' if r.end_state_equal else 'DIFF':>9}  {len(r.duplicates)}"
        )
    bad = sum(not (r.checkpoint_valid and r.resumed and r.end_state_equal) or bool(r.duplicates) for r in results)
    print(f"kills = {len(results)}, seed = {seed}, failed = {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
