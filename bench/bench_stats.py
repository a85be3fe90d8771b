"""Benchmark: every table of the national statistics over 1,000,000 cases.

On the PostgreSQL database BENCH_STATS_DATABASE_URL (default: bench_stats; created and
migrated here when missing), fills the statistics' fact table with 1,000,000 synthetic
rows in one INSERT … SELECT over generate_series (skipped when they are there), then
times, median of BENCH_ROUNDS runs:

- each table's count over its full cube (quarters × regions × categories), the query a
  cold page pays; target: at most 2 s each;
- the whole publication: every table counted and protected (what the first page after a
  refresh pays; every later page, the API and the exports slice it from the cache);
- one page's slice from the publication;
- the refresh job over a realistic batch: BENCH_REFRESH_CASES synthetic cases (the
  demo's generator) changed since the last run.

    make bench-stats        # or: .venv/bin/python bench/bench_stats.py
"""

import os
import sys

# This file's name is the standard library's: its folder must not come first on the path.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import statistics  # noqa: E402
import time  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_stats"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_STATS_DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")
os.environ.setdefault("BIRGE_DB_COMMAND", "1")
os.environ.setdefault("BIRGE_HTTPS", "0")
os.environ.setdefault("BIRGE_DEMO", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ROWS = int(os.environ.get("BENCH_STATS_ROWS", "1000000"))
REFRESH_CASES = int(os.environ.get("BENCH_REFRESH_CASES", "2000"))
TARGET = 2.0
FIRST_ID = 100_000_000  # synthetic facts' case ids, far above any real case's


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _median(run) -> float:
    times = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _array(codes: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{code}'" for code in codes) + "]"


def _pick(codes: list[str]) -> str:
    return f"({_array(codes)})[1 + floor(random() * {len(codes)})::int]"


def facts_fill() -> float:
    from birge.agencies.models import Region
    from birge.reports import categories as cat
    from birge.reports.models import CaseFact

    synthetic = CaseFact.objects.filter(case_id__gte=FIRST_ID)
    # Rows of an older fill have no orders, proceedings or programmes: filled again.
    if synthetic.count() == ROWS and synthetic.exclude(proceeding="none").exists():
        return 0.0
    synthetic.delete()
    regions = list(Region.objects.values_list("pk", flat=True)) or list(range(1, 15))

    def codes(choices) -> list[str]:
        return [code for code, _label in choices]

    began = time.perf_counter()
    with connection.cursor() as cursor:
        # Birge's own codes and numbers only: nothing from outside is written into it.
        cursor.execute(
            f"""
            INSERT INTO {CaseFact._meta.db_table} (
                case_id, quarter, region_id, owning_agency_id, agency_kind, status,
                victim_sex, victim_age, perpetrator_sex, perpetrator_age, relationship,
                forms, children, pathways, risk_first, risk_latest, repeat,
                days_to_assessment, days_to_referral, orders, proceeding, programme,
                refreshed_at)
            SELECT {FIRST_ID} + i,
                (2019 + floor(random() * 8)::int) * 10 + 1 + floor(random() * 4)::int,
                (ARRAY{regions})[1 + floor(random() * {len(regions)})::int],
                1 + floor(random() * 300)::int,
                {_pick(codes(cat.AGENCY_KIND))}, {_pick(codes(cat.STATUS))},
                {_pick(codes(cat.SEX))}, {_pick(codes(cat.AGE))},
                {_pick(codes(cat.SEX))}, {_pick(codes(cat.AGE))},
                {_pick(codes(cat.RELATIONSHIP))},
                1 + floor(random() * {(1 << len(cat.FORMS)) - 1})::int,
                floor(random() * 4)::int,
                floor(random() * {1 << len(cat.PATHWAYS)})::int,
                {_pick(codes(cat.RISK))}, {_pick(codes(cat.RISK))}, {_pick(codes(cat.YES_NO))},
                CASE WHEN random() < 0.8 THEN floor(random() * 60)::int END,
                CASE WHEN random() < 0.6 THEN floor(random() * 120)::int END,
                CASE WHEN random() < 0.3 THEN floor(random() * {1 << len(cat.ORDERS)})::int
                    ELSE 0 END,
                CASE WHEN random() < 0.4 THEN {_pick(codes(cat.PROCEEDING))} ELSE 'none' END,
                CASE WHEN random() < 0.2 THEN {_pick(codes(cat.PROGRAMME))} ELSE 'none' END,
                now()
            FROM generate_series(1, {ROWS}) AS i
            """  # noqa: S608
        )
        cursor.execute(f"ANALYZE {CaseFact._meta.db_table}")
    return time.perf_counter() - began


def refresh_batch() -> tuple[int, float]:
    from birge.cases.models import Case
    from birge.demo import synthetic
    from birge.demo.services import demo_load
    from birge.reports.facts import facts_refresh
    from birge.reports.models import FactRefresh

    if Case.objects.count() < REFRESH_CASES:
        demo_load()
        synthetic.cases_generate(total=REFRESH_CASES, batch_size=1000)
    FactRefresh.objects.all().delete()  # every case "changed since the last run"
    began = time.perf_counter()
    refreshed = facts_refresh()
    return refreshed, time.perf_counter() - began


def main() -> int:
    if connection.vendor != "postgresql":
        _out("bench/bench_stats: needs PostgreSQL (BENCH_STATS_DATABASE_URL)")
        return 2
    call_command("migrate", verbosity=0)
    refreshed, refresh_time = refresh_batch()
    filled = facts_fill()

    from birge.reports.models import CaseFact
    from birge.reports.statistics import (
        ALL,
        TABLES,
        _cube,
        periods,
        publication_compute,
        table_slice,
    )

    facts = CaseFact.objects.all()
    rows = facts.count()
    _out(f"fact rows: {rows:,}" + (f" (filled in {filled:.1f} s)" if filled else ""))
    worst = 0.0
    for spec in TABLES:
        seconds = _median(lambda spec=spec: _cube(spec, facts))
        worst = max(worst, seconds)
        verdict = "ok" if seconds <= TARGET else "OVER"
        _out(f"  table {spec.code:<20} {seconds:6.3f} s  (target {TARGET:.0f} s) {verdict}")
    began = time.perf_counter()
    publication = publication_compute()
    whole = time.perf_counter() - began
    _out(f"whole publication (every table counted and protected, once per refresh): {whole:.2f} s")
    period = periods(publication)[0]
    one_page = _median(
        lambda: [table_slice(publication, spec.code, period, ALL) for spec in TABLES]
    )
    _out(f"one page's slices from the publication: {one_page * 1000:.1f} ms")
    _out(f"refresh job over {refreshed:,} changed cases: {refresh_time:.2f} s")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
