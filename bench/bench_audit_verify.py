"""Benchmark: `birge audit verify` over a large log (target: 1,000,000 events in 10 s on
PostgreSQL on the 2-core test machine).

Fills a fresh test database with N synthetic events (COPY on PostgreSQL, bulk_create on
SQLite, their hashes computed beforehand), seals them, then times `chain_verify()` the way
`birge audit verify` runs it (outside a transaction, so in two processes). Prints one JSON
line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/birge_bench_audit \\
        .venv/bin/python bench/bench_audit_verify.py         # N = BENCH_AUDIT_EVENTS, 1e6
    BENCH_AUDIT_EVENTS=100000 .venv/bin/python bench/bench_audit_verify.py   # SQLite, smaller

The database named in DATABASE_URL is not touched: Django's test database next to it
(`test_…`) is created and dropped.
"""

import json
import os
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from birge.audit.hashing import EVENT_COLUMNS  # noqa: E402

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "1000000"))
BATCH = 20_000
COLUMNS = EVENT_COLUMNS
ACTIONS = ["case.viewed", "case.updated", "auth.login", "audit.log.viewed", "referral.sent"]


def _rows(start: int, count: int):
    """Synthetic events with their hashes, as tuples in COLUMNS order (data as canonical
    JSON text): no users behind them, so actor and agency stay empty."""
    from birge.audit.hashing import data_canonical, event_hash

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(start, start + count):
        occurred_at = t0 + timedelta(milliseconds=n * 37)
        fields = (
            None,  # actor
            f"user{n % 500}",
            None,  # agency
            ACTIONS[n % len(ACTIONS)],
            "case",
            str(n % 100_000),
            "",  # reason
            f"10.{n % 200}.{n % 250}.{n % 253 + 1}",
            f"{n:032x}",  # request id
            data_canonical({"page": n % 7} if n % 3 else {}),
        )
        digest = event_hash(occurred_at.isoformat(timespec="microseconds"), *fields)
        yield (occurred_at, *fields, "", digest)


def _fill_postgres(n: int) -> None:
    types = ["timestamptz", "int8", "text", "int8", "text", "text", "text", "text", "inet"]
    types += ["text", "text", "text", "text"]  # data as its JSON text (COPY parses it)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY audit_auditevent ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.set_types(types)
            for row in _rows(0, n):
                copy.write_row(row)


def _fill_sqlite(n: int) -> None:
    from birge.audit.models import AuditEvent
    from birge.audit.tests.tampering import rows

    for start in range(0, n, BATCH):
        batch = [
            AuditEvent(**dict(zip(COLUMNS, (*r[:10], json.loads(r[10]), *r[11:]), strict=True)))
            for r in _rows(start, min(BATCH, n - start))
        ]
        rows.bulk_create(batch)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the verify workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    from birge.audit.chain import chain_verify
    from birge.audit.sealing import seal_pending

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        vendor = connection.vendor
        start = time.perf_counter()
        (_fill_postgres if vendor == "postgresql" else _fill_sqlite)(EVENTS)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE audit_auditevent")
        filled = time.perf_counter() - start

        start = time.perf_counter()
        sealed = seal_pending()
        sealing = time.perf_counter() - start

        start, cpu = time.perf_counter(), _cpu()
        report = chain_verify()
        verifying, cpu = time.perf_counter() - start, _cpu() - cpu
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    result = {
        "benchmark": "audit_verify",
        "database": vendor,
        "events": report.events,
        "sealed": sealed,
        "seals": report.seals,
        "ok": report.ok,
        "problem": report.problem,
        "fill_seconds": round(filled, 2),
        "seal_seconds": round(sealing, 2),
        "seal_events_per_second": round(sealed / sealing) if sealing else None,
        "verify_seconds": round(verifying, 2),
        "verify_events_per_second": round(report.events / verifying) if verifying else None,
        # Python's CPU time in verify (both processes), the database's not included: a
        # figure that the other loads on a shared machine disturb less than the clock.
        "verify_cpu_seconds": round(cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0 if report.ok and report.events == EVENTS else 1


if __name__ == "__main__":
    sys.exit(main())
