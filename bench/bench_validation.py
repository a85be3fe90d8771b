"""Benchmark: the validation report of an instrument version over a million cases.

On the PostgreSQL database BENCH_DATABASE_URL (default: the shared birge_scale database,
which holds 1,000,000 synthetic cases; migrate it first), makes sure about one submitted
assessment per case exists for a synthetic instrument version (written once by
birge.risk.synthetic.assessments_generate, with the new incidents of its known risk
model, and reused by later runs), then times `validation_report` over it. Target: at
most 5 seconds.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/birge_scale \\
        .venv/bin/python bench/bench_validation.py
"""

import os
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/birge_scale"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")
# A batch job, as the `birge` commands are: the longer statement time limit.
os.environ.setdefault("BIRGE_DB_COMMAND", "1")
os.environ.setdefault("BIRGE_HTTPS", "0")
os.environ.setdefault("BIRGE_DEMO", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET = 5.0
INSTRUMENT_ID = "bench-synthetic"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main() -> int:
    from birge.cases.models import Case
    from birge.risk.models import InstrumentVersion, RiskAssessment
    from birge.risk.synthetic import DEFAULT_MODEL, assessments_generate
    from birge.risk.validation import validation_report

    if connection.vendor != "postgresql":
        _out("bench_validation: needs PostgreSQL (BENCH_DATABASE_URL)")
        return 2
    cases = Case.objects.count()
    # A valid source (the shipped checklist's, whose bands the synthetic model has), so
    # that the engine can score the generated answers and case pages can read it.
    shipped = InstrumentVersion.objects.filter(instrument_id="birge-checklist").order_by("pk")
    shipped = shipped.first()
    if shipped is None:
        _out("bench_validation: the shipped checklist is missing (run migrate)")
        return 2
    version, _ = InstrumentVersion.objects.get_or_create(
        instrument_id=INSTRUMENT_ID,
        version="1",
        defaults={"source": shipped.source, "sha256": shipped.sha256, "is_active": False},
    )
    if version.source != shipped.source:  # stored by an earlier bench as `{}`
        InstrumentVersion.objects.filter(pk=version.pk).update(
            source=shipped.source, sha256=shipped.sha256
        )
        version.refresh_from_db()
    existing = RiskAssessment.objects.filter(instrument_version=version).count()
    if existing < 0.9 * cases:
        _out(f"generating assessments for {cases - existing:,} cases (once) ...")
        result = assessments_generate(
            instrument_version=version,
            progress=lambda done: _out(f"  {done:,} cases") if done % 200_000 == 0 else None,
        )
        _out(
            f"  wrote {result.assessments:,} assessments and {result.incidents:,} incidents"
            f" in {result.seconds:.1f} s"
        )
    assessments = RiskAssessment.objects.filter(instrument_version=version).count()
    _out(f"cases: {cases:,}; assessments of {version}: {assessments:,}")

    timings = []
    report = None
    for _ in range(ROUNDS):
        began = time.perf_counter()
        report = validation_report(instrument_version=version)
        timings.append(time.perf_counter() - began)
    assert report is not None
    for horizon in report.horizons:
        truth = DEFAULT_MODEL.truth(horizon.months)
        _out(
            f"  {horizon.months:>2} months: n={horizon.n.value or 0:,.0f}"
            f" outcomes={horizon.outcomes.value or 0:,.0f}"
            f" AUC level={horizon.auc_level.value or 0:.3f} (model {truth.auc_level:.3f})"
            f" AUC score={(horizon.auc_score.value if horizon.auc_score else 0) or 0:.3f}"
            f" (model {truth.auc_score:.3f})"
        )
    best, worst = min(timings), max(timings)
    verdict = "ok" if best <= TARGET else "SLOW"
    _out(
        f"validation report over {cases:,} cases: best {best:.2f} s, worst {worst:.2f} s"
        f" of {ROUNDS} (target <= {TARGET:.0f} s) {verdict}"
    )
    return 0 if best <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
