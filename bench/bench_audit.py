"""Benchmark: what `event_record` costs on every audited write (its own hash, no lock,
no lookup of the previous event), and how fast verify runs.

Baseline, measured in the same run on the same database: inserting the same audit rows
with a made-up hash. The figure that matters is
the ratio, since this machine is shared and absolute times wander.

    make bench                      # SQLite (in a temporary test database)
    make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
"""

import os
import statistics
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _baseline(n: int) -> float:
    from birge.audit.models import AuditEvent

    start = time.perf_counter()
    for _ in range(n):
        with transaction.atomic():
            event = AuditEvent(
                occurred_at=timezone.now(),
                action="bench.baseline",
                object_type="case",
                object_id="1",
                prev_hash="0" * 64,
                hash=uuid.uuid4().hex * 2,
            )
            event.save()
    return time.perf_counter() - start


def _chained(n: int) -> float:
    from birge.audit.services import event_record

    start = time.perf_counter()
    for _ in range(n):
        with transaction.atomic():
            event_record(action="bench.chained", object_type="case", object_id="1")
    return time.perf_counter() - start


def _verify() -> tuple[float, int]:
    from birge.audit.chain import chain_verify
    from birge.audit.sealing import seal_pending

    seal_pending()
    start = time.perf_counter()
    report = chain_verify()
    elapsed = time.perf_counter() - start
    if not report.ok:
        sys.stdout.write(f"verify: {report.problem}\n")
    return elapsed, report.events


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        vendor = connection.vendor
        # First a clean chain to verify (and to warm up); then rounds that interleave
        # chained and baseline inserts, so that machine noise hits both alike.
        _chained(EVENTS * ROUNDS)
        verify_seconds, walked = _verify()
        chained, baseline = [], []
        for _ in range(ROUNDS):
            chained.append(_chained(EVENTS))
            baseline.append(_baseline(EVENTS))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    c, b = statistics.median(chained), statistics.median(baseline)
    lines = [
        f"database: {vendor}; {EVENTS} events x {ROUNDS} rounds, one transaction each",
        f"baseline insert:            {EVENTS / b:8.0f} events/s ({b * 1e6 / EVENTS:7.1f} us each)",
        f"event_record:               {EVENTS / c:8.0f} events/s ({c * 1e6 / EVENTS:7.1f} us each)",
        f"event_record overhead:      {c / b:8.2f} x baseline",
        f"verify:                     {walked / verify_seconds:8.0f} events/s ({walked} events)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
