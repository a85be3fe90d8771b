"""Benchmark: what scoring one assessment with the Birge risk checklist costs.

The target is at most 5 ms per score() call (issue 4). Pure Python, no database: the
answers are a realistic mix (some yes, some no, one not known, one missing), varied per call
so that nothing is accidentally cached.

    .venv/bin/python bench/bench_risk.py        # BENCH_CALLS=10000, BENCH_ROUNDS=5
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from birge.risk.engine import reason_text, score, shipped_instruments

CALLS = int(os.environ.get("BENCH_CALLS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
TARGET_US = 5000


def _answer_sets(ids: list[str], n: int) -> list[dict[str, str | None]]:
    sets = []
    for k in range(n):
        answers: dict[str, str | None] = {
            item_id: ("yes" if (k + i) % 3 == 0 else "no") for i, item_id in enumerate(ids)
        }
        answers[ids[k % len(ids)]] = "unknown"
        answers[ids[(k + 7) % len(ids)]] = None
        sets.append(answers)
    return sets


def main() -> int:
    checklist = next(i for i in shipped_instruments() if i.id == "birge-checklist")
    answer_sets = _answer_sets([item.id for item in checklist.items], 97)
    score(checklist, answer_sets[0])  # builds the scoring plan once, as a server would

    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for k in range(CALLS):
            score(checklist, answer_sets[k % len(answer_sets)])
        rounds.append((time.perf_counter() - start) * 1e6 / CALLS)

    result = score(checklist, answer_sets[0])
    start = time.perf_counter()
    for k in range(CALLS):
        for reason in result.reasons:
            reason_text(checklist, reason, ("az", "ru", "en")[k % 3])
    explain_us = (time.perf_counter() - start) * 1e6 / CALLS

    per_call = statistics.median(rounds)
    lines = [
        f"risk: {checklist.id} v{checklist.version}, {len(checklist.items)} items; "
        f"{CALLS} calls x {ROUNDS} rounds",
        f"score():                    {per_call:8.1f} us per call (median; best {min(rounds):.1f}; "
        f"target <= {TARGET_US} us)",
        f"reason_text() for a result: {explain_us:8.1f} us ({len(result.reasons)} reasons)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0 if per_call <= TARGET_US else 1


if __name__ == "__main__":
    sys.exit(main())
