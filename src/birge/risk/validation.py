"""How well an instrument version's levels predicted what happened next.

For each horizon h (months), the assessments counted are the submitted assessments of
the instrument version whose follow-up has fully elapsed (submitted_at + h months ≤
now); the outcome of one is a new incident on the same case that occurred after the
assessment's day (in Birge's time zone) and no later than that day + h months.

From them, per horizon: the number of assessments and of outcomes; the AUC of the level
(ordinal: standard < medium < high < critical; ties count one half) and, when the
assessments carry a score, of the score; sensitivity and specificity when "at least
medium", "at least high" and "at least critical" are read as predicting an incident;
and a calibration table (per level: assessments, outcomes, observed rate).

The database does the heavy lifting, in one query for all horizons: each assessment is
joined to the incidents of its case that occurred after its day and within the longest
horizon, and keeps the first of them (a hash join and a grouping by assessment, both
parallel on PostgreSQL: about 2 s for a million assessments); an assessment has an
outcome within h months exactly when that first incident is no later than day + h
months. The rows are then counted by (level, score, horizons elapsed, first horizon
with an outcome): a few hundred numbers, from which the AUCs (Mann-Whitney over grouped
counts, ties one half), the 2×2 tables and the rates are computed here.

Aggregates only: the report holds counts, rates and AUCs, never a case or a person, and
any count below `min_cell` (settings.BIRGE_STATS_MIN_CELL, default 10) is suppressed,
as is any rate or AUC resting on fewer than `min_cell` outcomes or non-outcomes (the
suppression itself is birge.privacy.disclosure's, shared with every figure Birge shows).
"""

from __future__ import annotations

import calendar
import time as clock
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import connection
from django.utils import timezone

from birge.cases.models import Incident, RiskLevel
from birge.privacy import disclosure
from birge.privacy.disclosure import SUPPRESSED, Figure, min_cell_default
from birge.risk.models import InstrumentVersion, RiskAssessment

LEVELS: tuple[str, ...] = tuple(RiskLevel.values)  # standard < medium < high < critical
HORIZONS: tuple[int, ...] = (3, 6, 12)
LevelField = Literal["final_level", "computed_level"]


# --- Pure metrics ------------------------------------------------------------------------


def auc_from_counts(counts: Mapping[Hashable, tuple[float, float]]) -> float | None:
    """AUC (Mann-Whitney U / (P·N)) from counts of positives and negatives per value.

    `counts` maps an orderable value to (positives, negatives) with that value; ties
    between a positive and a negative count one half. None when either class is empty.
    O(k log k) in the number of distinct values."""
    total_pos = sum(p for p, _ in counts.values())
    total_neg = sum(q for _, q in counts.values())
    if total_pos <= 0 or total_neg <= 0:
        return None
    below = 0.0  # negatives with a smaller value
    twice_u = 0.0
    for value in sorted(counts):  # type: ignore[type-var]
        pos, neg = counts[value]
        twice_u += pos * (2 * below + neg)
        below += neg
    return twice_u / (2 * total_pos * total_neg)


def auc(scores_pos: Iterable[float], scores_neg: Iterable[float]) -> float | None:
    """The probability that a random positive scores above a random negative (ties
    one half): Mann-Whitney U over P·N. O(n log n); None when either side is empty."""
    pos, neg = Counter(scores_pos), Counter(scores_neg)
    counts = {value: (pos.get(value, 0), neg.get(value, 0)) for value in pos.keys() | neg.keys()}
    return auc_from_counts(counts)


@dataclass(frozen=True)
class Confusion:
    tp: int  # outcome, predicted (level at or above the threshold)
    fn: int  # outcome, not predicted
    fp: int  # no outcome, predicted
    tn: int  # no outcome, not predicted

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None


def confusion_at(
    threshold_index: int, positives: Sequence[int], negatives: Sequence[int]
) -> Confusion:
    """The 2×2 table when levels with index ≥ `threshold_index` count as predicting the
    outcome. `positives[i]` / `negatives[i]`: assessments at level i (in LEVELS order)
    with / without an outcome."""
    if len(positives) != len(negatives):
        raise ValueError("positives and negatives need one count per level")
    if not 0 <= threshold_index <= len(positives):
        raise ValueError(f"threshold index {threshold_index} out of range")
    tp = sum(positives[threshold_index:])
    fp = sum(negatives[threshold_index:])
    return Confusion(tp=tp, fn=sum(positives) - tp, fp=fp, tn=sum(negatives) - fp)


# --- The report --------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationRow:
    level: str
    n: Figure
    outcomes: Figure
    rate: Figure


@dataclass(frozen=True)
class ThresholdRow:
    level: str  # "at least this level" predicts an outcome
    sensitivity: Figure
    specificity: Figure


@dataclass(frozen=True)
class HorizonReport:
    months: int
    n: Figure
    outcomes: Figure
    rate: Figure
    auc_level: Figure
    auc_score: Figure | None  # None when no assessment carries a score
    thresholds: tuple[ThresholdRow, ...]
    calibration: tuple[CalibrationRow, ...]


@dataclass(frozen=True)
class ValidationReport:
    instrument_version_id: int
    instrument: str
    level_field: LevelField
    min_cell: int
    now: datetime
    horizons: tuple[HorizonReport, ...]
    seconds: float  # time the query and the arithmetic took


def months_before(moment: datetime, months: int) -> datetime:
    """The same local wall-clock time `months` calendar months earlier (the day clamped
    to the month's length)."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    naive = local.replace(tzinfo=None, year=year, month=month + 1, day=day)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def _day_plus_months_sql(day: str, months: int) -> str:
    months = int(months)
    if connection.vendor == "postgresql":
        return f"({day} + make_interval(months => {months}))::date"
    if connection.vendor == "sqlite":
        return f"date({day}, '+{months} months')"
    raise NotImplementedError(f"validation_report does not support {connection.vendor}")


def _grouped_counts(
    *, version_id: int, level_field: LevelField, horizons: Sequence[int], now: datetime
) -> list[tuple]:
    """Rows (level, score, eligible, outcome, count), `horizons` ascending.

    `eligible` = e means the assessment's follow-up has elapsed for the first e horizons
    (the cut-offs nest: 12 months elapsed implies 6 did); `outcome` = o > 0 means its
    first new incident fell within the o-th horizon (so within every longer one too),
    0 that none came within the longest."""
    ops = connection.ops
    cutoffs = [ops.adapt_datetimefield_value(months_before(now, h)) for h in horizons]
    day_sql, day_params = ops.datetime_cast_date_sql(
        "a.submitted_at", (), timezone.get_current_timezone_name()
    )
    # The expression's own parameters (the time zone), as named ones like the rest.
    day_names = [f"tz{i}" for i in range(len(day_params))]
    day_sql = day_sql % tuple(f"%({name})s" for name in day_names)
    level_sql = (
        "COALESCE(NULLIF(a.final_level, ''), a.computed_level)"
        if level_field == "final_level"
        else "a.computed_level"
    )
    last = len(horizons) - 1
    eligible = " ".join(
        f"WHEN s.submitted_at <= %(cut{j})s THEN {j + 1}" for j in range(last, 0, -1)
    )
    within = " ".join(
        f"WHEN s.first_after <= {_day_plus_months_sql('s.day', horizons[j])} THEN {j + 1}"
        for j in range(last)
    )
    assessments = RiskAssessment._meta.db_table
    incidents = Incident._meta.db_table
    sql = f"""
        SELECT s.level, s.score,
               {f"CASE {eligible} ELSE 1 END" if eligible else "1"} AS eligible,
               CASE WHEN s.first_after IS NULL THEN 0 {within} ELSE {last + 1} END AS outcome,
               COUNT(*)
        FROM (
            SELECT a.id, {level_sql} AS level, a.score, a.submitted_at, {day_sql} AS day,
                   MIN(i.occurred_on) AS first_after
            FROM {assessments} a
            LEFT JOIN {incidents} i ON i.case_id = a.case_id
                AND i.occurred_on > {day_sql}
                AND i.occurred_on <= {_day_plus_months_sql(day_sql, horizons[last])}
            WHERE a.instrument_version_id = %(version)s AND a.status = %(status)s
              AND a.submitted_at <= %(cut0)s
            GROUP BY a.id
        ) s
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608 -- only integers and the models' tables are formatted in
    params: dict[str, object] = {f"cut{j}": cut for j, cut in enumerate(cutoffs)}
    params.update(version=version_id, status=RiskAssessment.Status.SUBMITTED)
    params.update(zip(day_names, day_params, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _horizon(
    months: int,
    by_level: dict[str, tuple[int, int]],
    by_score: dict[float, tuple[int, int]],
    min_cell: int,
) -> HorizonReport:
    positives = [by_level[level][0] for level in LEVELS]
    negatives = [by_level[level][1] for level in LEVELS]
    pos, neg = sum(positives), sum(negatives)
    n_total = pos + neg
    enough = pos >= min_cell and neg >= min_cell

    level_auc = auc_from_counts({i: (positives[i], negatives[i]) for i in range(len(LEVELS))})
    score_auc: Figure | None = None
    if by_score:
        score_pos = sum(p for p, _ in by_score.values())
        score_neg = sum(q for _, q in by_score.values())
        value = auc_from_counts(by_score)
        score_auc = (
            Figure(value)
            if value is not None and score_pos >= min_cell and score_neg >= min_cell
            else SUPPRESSED
        )

    thresholds = []
    for index in range(1, len(LEVELS)):
        table = confusion_at(index, positives, negatives)
        sensitivity = (
            Figure(table.sensitivity)
            if table.tp >= min_cell and table.fn >= min_cell and table.sensitivity is not None
            else SUPPRESSED
        )
        specificity = (
            Figure(table.specificity)
            if table.tn >= min_cell and table.fp >= min_cell and table.specificity is not None
            else SUPPRESSED
        )
        thresholds.append(ThresholdRow(LEVELS[index], sensitivity, specificity))

    totals_n = disclosure.count(n_total, min_cell)
    totals_y = Figure(pos) if enough else SUPPRESSED
    ns = [p + q for p, q in zip(positives, negatives, strict=True)]
    n_cells = disclosure.protect_line(
        [disclosure.count(n, min_cell) for n in ns], ns, totals_n.shown
    )
    y_cells = [
        Figure(p) if n_cells[i].shown and p >= min_cell and q >= min_cell else SUPPRESSED
        for i, (p, q) in enumerate(zip(positives, negatives, strict=True))
    ]
    y_cells = disclosure.protect_line(y_cells, positives, totals_y.shown)
    calibration = tuple(
        CalibrationRow(
            level=level,
            n=n_cells[i],
            outcomes=y_cells[i],
            rate=(
                Figure(positives[i] / ns[i] if ns[i] else None)
                if n_cells[i].shown and y_cells[i].shown
                else SUPPRESSED
            ),
        )
        for i, level in enumerate(LEVELS)
    )
    return HorizonReport(
        months=months,
        n=totals_n,
        outcomes=totals_y,
        rate=disclosure.rate(pos, n_total, min_cell),
        auc_level=Figure(level_auc) if enough and level_auc is not None else SUPPRESSED,
        auc_score=score_auc,
        thresholds=tuple(thresholds),
        calibration=calibration,
    )


def validation_report(
    *,
    instrument_version: InstrumentVersion | int,
    horizons: Sequence[int] = HORIZONS,
    min_cell: int | None = None,
    now: datetime | None = None,
    level_field: LevelField = "final_level",
) -> ValidationReport:
    """The validation report of one instrument version (see the module's docstring).

    `level_field`: "final_level" (the level the case was managed at, after professional
    judgement; the computed level where none was recorded) or "computed_level" (the
    instrument's own)."""
    began = clock.monotonic()
    horizons = tuple(sorted({int(h) for h in horizons}))
    if not horizons or horizons[0] < 1:
        raise ValueError("horizons are whole months, at least 1")
    if level_field not in ("final_level", "computed_level"):
        raise ValueError(f"unknown level field {level_field!r}")
    min_cell = min_cell_default() if min_cell is None else int(min_cell)
    now = now or timezone.now()
    if isinstance(instrument_version, InstrumentVersion):
        version_id, label = instrument_version.pk, str(instrument_version)
    else:
        version_id = int(instrument_version)
        label = str(InstrumentVersion.objects.get(pk=version_id))

    rows = _grouped_counts(
        version_id=version_id, level_field=level_field, horizons=horizons, now=now
    )
    by_level = [{level: (0, 0) for level in LEVELS} for _ in horizons]
    by_score: list[dict[float, tuple[int, int]]] = [{} for _ in horizons]
    for level, score, eligible, outcome, count in rows:
        if level not in by_level[0]:
            continue  # an assessment without a level says nothing about levels
        for j in range(int(eligible)):
            hit = count if 0 < int(outcome) <= j + 1 else 0
            p, q = by_level[j][level]
            by_level[j][level] = (p + hit, q + count - hit)
            if score is not None:
                p, q = by_score[j].get(float(score), (0, 0))
                by_score[j][float(score)] = (p + hit, q + count - hit)
    reports = tuple(
        _horizon(months, by_level[j], by_score[j], min_cell) for j, months in enumerate(horizons)
    )
    return ValidationReport(
        instrument_version_id=version_id,
        instrument=label,
        level_field=level_field,
        min_cell=min_cell,
        now=now,
        horizons=reports,
        seconds=clock.monotonic() - began,
    )
