"""How well an instrument version's levels predicted what happened next, with the
uncertainty a statistician would ask for, and nothing that could identify a woman.

**Who counts at a horizon of h months.** A submitted assessment of the version whose
h months have fully passed (submitted_at + h months ≤ now). Its outcome is a new
incident on the same case after the assessment's day (in Birge's time zone) and no
later than that day + h months, read at three grades of severity: any new incident; a
violent one (physical or sexual violence, or a weapon used or threatened); the gravest
harm Birge records (injuries, or a weapon used). Follow-up ends when the case is closed
(a woman who moved away, or no longer wanted support, has her case closed): an
assessment whose window runs past the closure with no outcome before it is *censored*,
left out rather than counted as "no outcome", and the report says how many were. One
month arithmetic on both databases: day + h months clamps to the month's end (31 August
+ 3 months is 30 November), as PostgreSQL and Python do.

**The figures.** Per horizon and grade: assessments, outcomes, the outcome rate; the AUC
of the level (ordinal, ties one half) and of the score; sensitivity and specificity of
"at least this level"; a calibration table by level; per region and per owning agency
the same totals, rate and AUC; per checklist item the odds ratio of an outcome when the
answer was "yes" against "no". Every figure carries a 95% interval from the cluster
bootstrap over women (birge.risk.resampling), and is shown with the decimals its
interval allows; an AUC whose interval includes 0.5 reads "not enough data yet".

**Small numbers never identify anyone** (birge.privacy.disclosure): levels with fewer
than `min_cell` outcomes or non-outcomes are reported together with their neighbour
(global recoding), and every figure of a table is computed from the reported rows, so
none can give a merged level away; regions and agencies below `min_cell` are hidden
with as many others as it takes that the totals cannot give them away (complementary
suppression); an odds ratio is shown only when its four cells reach `min_cell`.

**The work.** The database joins each assessment to the incidents of its case (a hash
join, parallel on PostgreSQL) and folds each case into a pattern string, then counts
cases per pattern, region and agency: a few thousand rows for a million assessments.
The item odds ratios need each assessment's answers and are computed on request.
"""

from __future__ import annotations

import calendar
import hashlib
import time as clock
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
from django.conf import settings
from django.db import connection, connections, router, transaction
from django.utils import timezone

from birge.cases.models import Case, Incident, RiskLevel
from birge.privacy import disclosure
from birge.privacy.disclosure import SUPPRESSED, Figure, min_cell_default
from birge.risk import resampling
from birge.risk.engine import InstrumentError
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

Grade = Literal["any", "violent", "grave"]
GRADES: tuple[Grade, ...] = ("any", "violent", "grave")
REPLICATES_DEFAULT = 1000


@dataclass(frozen=True)
class Estimate(Figure):
    """A figure with its 95% interval (None when the replicates could not give one)."""

    low: float | None = None
    high: float | None = None

    def decimals(self, scale: float = 1.0) -> int:
        if self.low is None or self.high is None:
            return 2 if scale == 1.0 else 1
        return resampling.decimals(self.low, self.high, scale=scale)

    @property
    def includes_half(self) -> bool:
        """For an AUC: the interval includes 0.5, chance (or no interval at all)."""
        return self.low is None or self.high is None or self.low <= 0.5 <= self.high


HIDDEN = Estimate(None, suppressed=True)


@dataclass(frozen=True)
class CalibrationRow:
    levels: tuple[str, ...]  # one level, or neighbouring levels reported together
    n: Figure
    outcomes: Figure
    rate: Estimate

    @property
    def level(self) -> str:
        return self.levels[0]


@dataclass(frozen=True)
class ThresholdRow:
    level: str  # "at least this level" predicts an outcome
    sensitivity: Estimate
    specificity: Estimate


@dataclass(frozen=True)
class HorizonReport:
    months: int
    grade: Grade
    n: Figure
    outcomes: Figure
    rate: Estimate
    auc_level: Estimate
    auc_score: Estimate | None  # None when no assessment carries a score
    thresholds: tuple[ThresholdRow, ...]
    calibration: tuple[CalibrationRow, ...]
    censored: Figure  # left out: the case closed before the window ended, no outcome
    merged: bool  # some levels are reported together


@dataclass(frozen=True)
class GroupRow:
    """One region's or one agency's figures at a horizon."""

    key: int
    n: Figure
    outcomes: Figure
    rate: Estimate
    auc_level: Estimate


@dataclass(frozen=True)
class OddsRow:
    item: str
    odds: tuple[Estimate, ...]  # per horizon, in the report's order


@dataclass(frozen=True)
class ValidationReport:
    instrument_version_id: int
    instrument: str
    level_field: LevelField
    min_cell: int
    now: datetime
    replicates: int
    tables: dict[Grade, tuple[HorizonReport, ...]]
    by_region: dict[int, tuple[GroupRow, ...]]  # months -> regions (grade "any")
    by_agency: dict[int, tuple[GroupRow, ...]]  # months -> agencies (grade "any")
    odds: tuple[OddsRow, ...] | None  # None unless asked for
    seconds: float  # time the queries and the arithmetic took
    horizons: tuple[HorizonReport, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "horizons", self.tables["any"])


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
    """`day` + `months` calendar months, the day clamped to the month's end, as
    PostgreSQL's interval arithmetic and `months_before` do. SQLite's own '+N months'
    overflows into the next month (31 August + 3 months = 1 December), so the result is
    capped by the last day of the target month."""
    months = int(months)
    if connection.vendor == "postgresql":
        return f"({day} + make_interval(months => {months}))::date"
    if connection.vendor == "sqlite":
        return (
            f"min(date({day}, '+{months} months'), "
            f"date({day}, 'start of month', '+{months + 1} months', '-1 day'))"
        )
    raise NotImplementedError(f"validation_report does not support {connection.vendor}")


VIOLENT_SQL = (
    "({forms} LIKE '%%\"physical\"%%' OR {forms} LIKE '%%\"sexual\"%%' "
    "OR i.weapon IN ('threatened', 'used'))"
)
GRAVE_SQL = "(i.injuries OR i.weapon = 'used')"


def _local_day_sql(column: str, prefix: str) -> tuple[str, dict]:
    sql, params = connection.ops.datetime_cast_date_sql(
        column, (), timezone.get_current_timezone_name()
    )
    names = [f"{prefix}{i}" for i in range(len(params))]
    return sql % tuple(f"%({name})s" for name in names), dict(zip(names, params, strict=True))


def _assessments_sql(
    *,
    level_field: LevelField,
    horizons: Sequence[int],
    now: datetime,
    items: Sequence[str] = (),
) -> tuple[str, dict]:
    """One row per counted assessment: case, region, agency, (with `items`, its answers
    to them as one letter each: y, n, u(nknown), d(eclined), - not answered) and its code
    "level|score|elapsed|followed|any|violent|grave" (see `_Assessment`)."""
    ops = connection.ops
    cutoffs = [ops.adapt_datetimefield_value(months_before(now, h)) for h in horizons]
    day_sql, params = _local_day_sql("a.submitted_at", "tz")
    closed_sql, closed_params = _local_day_sql("c.closed_at", "tzc")
    params.update(closed_params)
    level_sql = (
        "COALESCE(NULLIF(a.final_level, ''), a.computed_level)"
        if level_field == "final_level"
        else "a.computed_level"
    )
    forms = "CAST(i.forms AS TEXT)" if connection.vendor == "postgresql" else "i.forms"
    last = len(horizons) - 1
    ends = [f"d{j}" for j in range(len(horizons))]  # the assessment's day + each horizon
    elapsed = " ".join(
        f"WHEN a.submitted_at <= %(cut{j})s THEN {j + 1}" for j in range(last, 0, -1)
    )
    level_index = " ".join(f"WHEN '{level}' THEN {i}" for i, level in enumerate(LEVELS))
    # What does not depend on the incidents, once per assessment: level, score, elapsed.
    head = " || '|' || ".join(
        [
            f"CAST(CASE {level_sql} {level_index} ELSE -1 END AS TEXT)",
            "COALESCE(CAST(a.score AS TEXT), '')",
            f"CAST({f'CASE {elapsed} ELSE 1 END' if elapsed else '1'} AS TEXT)",
        ]
    )
    followed = " ".join(
        f"WHEN s.{ends[j]} <= s.closed_day THEN {j + 1}" for j in range(last, -1, -1)
    )

    def within(first: str) -> str:
        steps = " ".join(f"WHEN {first} <= s.{ends[j]} THEN {j + 1}" for j in range(last))
        return f"CAST(CASE WHEN {first} IS NULL THEN 0 {steps} ELSE {last + 1} END AS TEXT)"

    code = " || '|' || ".join(
        [
            "s.head",
            f"CAST(CASE WHEN s.closed_day IS NULL THEN {last + 1} {followed} ELSE 0 END AS TEXT)",
            within("s.first_any"),
            within("s.first_violent"),
            within("s.first_grave"),
        ]
    )
    letters_sql = ""
    if items:
        extract = (
            "LEFT(COALESCE(a.answers ->> %({name})s, '-'), 1)"
            if connection.vendor == "postgresql"
            else "substr(COALESCE(json_extract(a.answers, '$.' || %({name})s), '-'), 1, 1)"
        )
        letters_sql = " || ".join(extract.format(name=f"item{k}") for k in range(len(items)))
        params.update({f"item{k}": item for k, item in enumerate(items)})
    carried = ["case_id", "region_id", "owning_agency_id", "head", "closed_day", *ends]
    if items:
        carried.append("letters")
    assessments = RiskAssessment._meta.db_table
    incidents = Incident._meta.db_table
    cases = Case._meta.db_table
    sql = f"""
        SELECT s.case_id, s.region_id, s.owning_agency_id{", s.letters" if items else ", ''"},
               {code} AS code
        FROM (
            SELECT b.id, {", ".join(f"MIN(b.{name}) AS {name}" for name in carried)},
                   MIN(i.occurred_on) AS first_any,
                   MIN(CASE WHEN {VIOLENT_SQL.format(forms=forms)} THEN i.occurred_on END)
                       AS first_violent,
                   MIN(CASE WHEN {GRAVE_SQL} THEN i.occurred_on END) AS first_grave
            FROM (
                SELECT a.id, a.case_id, c.region_id, c.owning_agency_id, {head} AS head,
                       {day_sql} AS day, {closed_sql} AS closed_day,
                       {
        ", ".join(
            f"{_day_plus_months_sql(day_sql, h)} AS {ends[j]}" for j, h in enumerate(horizons)
        )
    }{f", {letters_sql} AS letters" if items else ""}
                FROM {assessments} a
                JOIN {cases} c ON c.id = a.case_id
                WHERE a.instrument_version_id = %(version)s AND a.status = %(status)s
                  AND a.submitted_at <= %(cut0)s
            ) b
            LEFT JOIN {incidents} i ON i.case_id = b.case_id
                AND i.occurred_on > b.day AND i.occurred_on <= b.{ends[last]}
                AND (b.closed_day IS NULL OR i.occurred_on <= b.closed_day)
            GROUP BY b.id
        ) s
    """  # noqa: S608 -- only integers, level codes and the models' tables are formatted in
    params.update({f"cut{j}": cut for j, cut in enumerate(cutoffs)})
    params.update(status=RiskAssessment.Status.SUBMITTED)
    return sql, params


def _case_patterns(
    *, version_id: int, level_field: LevelField, horizons: Sequence[int], now: datetime
) -> list[tuple[int, int, str, int]]:
    """Rows (region, agency, pattern, cases): each case folded into the sorted codes of
    its counted assessments, then cases counted per (region, agency, pattern)."""
    sql, params = _assessments_sql(level_field=level_field, horizons=horizons, now=now)
    fold = (
        "string_agg(t.code, ';' ORDER BY t.code)"
        if connection.vendor == "postgresql"
        else "group_concat(t.code, ';')"
    )
    outer = f"""
        SELECT p.region_id, p.owning_agency_id, p.pattern, COUNT(*)
        FROM (
            SELECT t.case_id, MIN(t.region_id) AS region_id,
                   MIN(t.owning_agency_id) AS owning_agency_id, {fold} AS pattern
            FROM ({sql}) t
            GROUP BY t.case_id
        ) p
        GROUP BY p.region_id, p.owning_agency_id, p.pattern
    """  # noqa: S608 -- composed of the query above
    params["version"] = version_id
    return _fetch(outer, params)


def _fetch(sql: str, params: dict) -> list[tuple]:
    """Run the report's query. On PostgreSQL with room to hash and sort in memory and
    without JIT compilation (which costs more than it saves on a query run once). On the
    read replica where the caller allows it (birge.web.replica.reads_from_replica)."""
    using = router.db_for_read(RiskAssessment)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True, slots=True)
class _Assessment:
    """One assessment's code: its level (index), score, how many horizons have passed
    since it (`elapsed`) and were followed before the case closed (`followed`), and per
    grade the first horizon (1-based) with an outcome, 0 for none."""

    level: int
    score: float | None
    elapsed: int
    followed: int
    first: tuple[int, int, int]

    @classmethod
    def parse(cls, code: str) -> _Assessment:
        level, score, elapsed, followed, *first = code.split("|")
        return cls(
            int(level),
            float(score) if score else None,
            int(elapsed),
            int(followed),
            (int(first[0]), int(first[1]), int(first[2])),
        )

    def counted(self, j: int, grade: int) -> bool | None:
        """At the (j+1)-th horizon: True with an outcome, False without, None when the
        assessment is not counted (its time has not come, or it is censored)."""
        if self.elapsed < j + 1:
            return None
        if 0 < self.first[grade] <= j + 1:
            return True
        return False if self.followed >= j + 1 else None


def _seed(*parts: object) -> int:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class _Table:
    """What one table (a horizon, a grade, perhaps a region) gathers: cases per pattern
    of per-level counts, per pattern of per-score counts, and the censored."""

    levels: Counter = field(default_factory=Counter)
    scores: Counter = field(default_factory=Counter)
    censored: int = 0

    def totals(self) -> tuple[list[int], list[int]]:
        width = len(LEVELS)
        pos, neg = [0] * width, [0] * width
        for vector, cases in self.levels.items():
            for i in range(width):
                pos[i] += vector[i] * cases
                neg[i] += vector[width + i] * cases
        return pos, neg


def _estimate(value: float | None, replicates: np.ndarray) -> Estimate:
    if value is None:
        return HIDDEN
    bounds = resampling.interval(replicates) if replicates.size else None
    low, high = bounds or (None, None)
    return Estimate(value, low=low, high=high)


def _level_table(
    table: _Table, months: int, grade: Grade, min_cell: int, replicates: int, seed: int
) -> HorizonReport:
    pos, neg = table.totals()
    P, N = sum(pos), sum(neg)
    groups = disclosure.merge_small_rows(pos, neg, min_cell)
    censored = disclosure.count(table.censored, min_cell) if min_cell else Figure(table.censored)
    n_shown = disclosure.count(P + N, min_cell) if min_cell else Figure(P + N)
    if groups is None:
        return HorizonReport(
            months, grade, n_shown, SUPPRESSED, HIDDEN, HIDDEN, None, (), (), censored, False
        )
    width = len(LEVELS)
    boot = resampling.resample(table.levels, replicates=replicates, seed=seed)
    boot_pos = resampling.merge_columns(boot[:, :width], groups) if boot.size else boot
    boot_neg = resampling.merge_columns(boot[:, width:], groups) if boot.size else boot
    g_pos = [sum(pos[i] for i in group) for group in groups]
    g_neg = [sum(neg[i] for i in group) for group in groups]

    def est(value: float | None, compute) -> Estimate:
        return _estimate(value, compute() if boot.size else np.array([]))

    auc_level = est(
        auc_from_counts({k: (g_pos[k], g_neg[k]) for k in range(len(groups))}),
        lambda: resampling.aucs(boot_pos, boot_neg),
    )
    rate = est(
        P / (P + N) if P + N else None,
        lambda: resampling.rates(boot_pos.sum(axis=1), (boot_pos + boot_neg).sum(axis=1)),
    )
    thresholds = []
    for k in range(1, len(groups)):
        thresholds.append(
            ThresholdRow(
                LEVELS[groups[k][0]],
                est(
                    sum(g_pos[k:]) / P if P else None,
                    lambda k=k: resampling.rates(boot_pos[:, k:].sum(axis=1), boot_pos.sum(axis=1)),
                ),
                est(
                    sum(g_neg[:k]) / N if N else None,
                    lambda k=k: resampling.rates(boot_neg[:, :k].sum(axis=1), boot_neg.sum(axis=1)),
                ),
            )
        )
    calibration = tuple(
        CalibrationRow(
            levels=tuple(LEVELS[i] for i in group),
            n=Figure(g_pos[k] + g_neg[k]),
            outcomes=Figure(g_pos[k]),
            rate=est(
                g_pos[k] / (g_pos[k] + g_neg[k]),
                lambda k=k: resampling.rates(boot_pos[:, k], boot_pos[:, k] + boot_neg[:, k]),
            ),
        )
        for k, group in enumerate(groups)
    )
    auc_score: Estimate | None = None
    if table.scores:
        values = sorted({value for vector in table.scores for value, _, _ in vector})
        index = {value: i for i, value in enumerate(values)}
        patterns: Counter = Counter()
        for vector, cases in table.scores.items():
            row = [0] * (2 * len(values))
            for value, p, q in vector:
                row[index[value]] += p
                row[len(values) + index[value]] += q
            patterns[tuple(row)] += cases
        counts = {v: (0, 0) for v in values}
        for vector, cases in table.scores.items():
            for value, p, q in vector:
                a, b = counts[value]
                counts[value] = (a + p * cases, b + q * cases)
        score_boot = resampling.resample(patterns, replicates=replicates, seed=seed + 1)
        auc_score = _estimate(
            auc_from_counts(counts),
            resampling.aucs(score_boot[:, : len(values)], score_boot[:, len(values) :])
            if score_boot.size
            else np.array([]),
        )
    return HorizonReport(
        months=months,
        grade=grade,
        n=n_shown,
        outcomes=Figure(P),
        rate=rate,
        auc_level=auc_level,
        auc_score=auc_score,
        thresholds=tuple(thresholds),
        calibration=calibration,
        censored=censored,
        merged=any(len(group) > 1 for group in groups),
    )


def _group_rows(
    tables: Mapping[int, _Table], months: int, min_cell: int, replicates: int, seed: int
) -> tuple[GroupRow, ...]:
    """Per region or agency: n, outcomes, rate and AUC, hidden (with complements) below
    `min_cell` so that the shown totals cannot give a hidden group away."""
    keys = sorted(tables)
    totals = [tables[key].totals() for key in keys]
    outcomes = [sum(pos) for pos, _ in totals]
    others = [sum(neg) for _, neg in totals]
    primary = [p < min_cell or q < min_cell for p, q in zip(outcomes, others, strict=True)]
    hidden = disclosure.protect_groups([outcomes, others], primary, min_cell)
    rows = []
    for g, key in enumerate(keys):
        if hidden[g]:
            rows.append(GroupRow(key, SUPPRESSED, SUPPRESSED, HIDDEN, HIDDEN))
            continue
        report = _level_table(tables[key], months, "any", min_cell, replicates, seed + key)
        rows.append(GroupRow(key, report.n, report.outcomes, report.rate, report.auc_level))
    return tuple(rows)


def _odds(
    *,
    version: InstrumentVersion,
    level_field: LevelField,
    horizons: Sequence[int],
    now: datetime,
    min_cell: int,
    replicates: int,
) -> tuple[OddsRow, ...]:
    """Per item and horizon: the odds of any new incident when the answer was "yes"
    over the odds when it was "no" ("not known" and "declined" left out), with the
    cluster bootstrap's interval; shown when its four cells reach `min_cell`.

    Vectorised: one array of answers (assessments × items: 1 yes, 0 no, −1 otherwise)
    and one of outcomes (assessments × horizons: 1, 0, −1 not counted); per item and
    horizon each case's four cells come from one bincount, and identical cases are
    folded into patterns for the bootstrap."""
    try:
        items = [item.id for item in version.instrument.items]
    except InstrumentError:  # a version that does not parse: the keys of its answers
        items = sorted(
            {
                key
                for answers in RiskAssessment.objects.filter(
                    instrument_version=version
                ).values_list("answers", flat=True)
                for key in (answers or {})
            }
        )
    sql, params = _assessments_sql(level_field=level_field, horizons=horizons, now=now, items=items)
    params["version"] = version.pk
    case_index: dict[int, int] = {}
    cases, letters, outcomes = [], [], []
    for case_id, _region, _agency, answers, code in _fetch(sql, params):
        assessment = _Assessment.parse(code)
        if assessment.level < 0:
            continue
        cases.append(case_index.setdefault(case_id, len(case_index)))
        letters.append(answers)
        outcomes.append(
            [
                -1 if (o := assessment.counted(j, 0)) is None else int(o)
                for j in range(len(horizons))
            ]
        )
    raw = np.frombuffer("".join(letters).encode("ascii"), dtype=np.uint8)
    raw = raw.reshape(len(cases), len(items))
    answer_of = np.where(raw == ord("y"), 1, np.where(raw == ord("n"), 0, -1))
    n_cases = len(case_index)
    case_of = np.array(cases, dtype=np.int64)
    outcome_of = np.array(outcomes, dtype=np.int64).reshape(len(cases), len(horizons))
    result = []
    for k, item in enumerate(items):
        odds = []
        for j, months in enumerate(horizons):
            valid = (answer_of[:, k] >= 0) & (outcome_of[:, j] >= 0)
            # Cell 0: yes with an outcome, 1: yes without, 2: no with, 3: no without.
            cell = (1 - answer_of[valid, k]) * 2 + (1 - outcome_of[valid, j])
            per_case = np.bincount(case_of[valid] * 4 + cell, minlength=n_cases * 4).reshape(
                n_cases, 4
            )
            total = per_case.sum(axis=0)
            if n_cases == 0 or int(total.min()) < max(min_cell, 1):
                odds.append(HIDDEN)
                continue
            # Identical cases folded: each case's four cells as one number, then unique.
            base = int(per_case.max()) + 1
            keys = per_case @ np.array([base**3, base**2, base, 1], dtype=np.int64)
            values, counts = np.unique(keys, return_counts=True)
            patterns = {
                (
                    int(value) // base**3,
                    int(value) // base**2 % base,
                    int(value) // base % base,
                    int(value) % base,
                ): int(count)
                for value, count in zip(values, counts, strict=True)
            }
            a, b, c, d = (int(x) for x in total)
            boot = resampling.resample(
                patterns, replicates=replicates, seed=_seed(version.pk, item, months)
            )
            odds.append(_estimate((a * d) / (b * c), resampling.odds_ratios(boot)))
        result.append(OddsRow(item, tuple(odds)))
    return tuple(result)


def _contributions(pattern: str, horizons: int) -> list:
    """What one case (its pattern of assessment codes) adds to each (horizon, grade)
    table: its per-level counts (outcomes, then non-outcomes), its per-score counts, and
    how many of its assessments were censored."""
    width = len(LEVELS)
    # An assessment without one of the four levels says nothing about levels.
    assessments = [
        assessment
        for assessment in map(_Assessment.parse, pattern.split(";"))
        if assessment.level >= 0
    ]
    result = []
    for j in range(horizons):
        for g in range(len(GRADES)):
            vector = [0] * (2 * width)
            scores: Counter = Counter()
            censored = 0
            for assessment in assessments:
                outcome = assessment.counted(j, g)
                if outcome is None:
                    censored += assessment.elapsed >= j + 1
                    continue
                vector[assessment.level + (0 if outcome else width)] += 1
                if assessment.score is not None:
                    scores[(assessment.score, outcome)] += 1
            if not any(vector) and not censored:
                continue
            score_key = tuple(
                sorted(
                    (value, scores[(value, True)], scores[(value, False)])
                    for value in {value for value, _ in scores}
                )
            )
            result.append(((j, g), (tuple(vector) if any(vector) else None, score_key, censored)))
    return result


def validation_report(
    *,
    instrument_version: InstrumentVersion | int,
    horizons: Sequence[int] = HORIZONS,
    min_cell: int | None = None,
    now: datetime | None = None,
    level_field: LevelField = "final_level",
    replicates: int | None = None,
    items: bool = False,
) -> ValidationReport:
    """The validation report of one instrument version (see the module's docstring).

    `level_field`: "final_level" (the level the case was managed at, after professional
    judgement; the computed level where none was recorded) or "computed_level" (the
    instrument's own). `replicates`: bootstrap replicates per figure (default
    settings.BIRGE_VALIDATION_REPLICATES, 1000). `items`: compute the items' odds
    ratios too (reads every assessment's answers: slower)."""
    began = clock.monotonic()
    horizons = tuple(sorted({int(h) for h in horizons}))
    if not horizons or horizons[0] < 1:
        raise ValueError("horizons are whole months, at least 1")
    if level_field not in ("final_level", "computed_level"):
        raise ValueError(f"unknown level field {level_field!r}")
    min_cell = min_cell_default() if min_cell is None else int(min_cell)
    if replicates is None:
        replicates = int(getattr(settings, "BIRGE_VALIDATION_REPLICATES", REPLICATES_DEFAULT))
    now = now or timezone.now()
    if isinstance(instrument_version, InstrumentVersion):
        version = instrument_version
    else:
        version = InstrumentVersion.objects.get(pk=int(instrument_version))

    rows = _case_patterns(
        version_id=version.pk, level_field=level_field, horizons=horizons, now=now
    )
    overall = {(j, g): _Table() for j in range(len(horizons)) for g in range(len(GRADES))}
    regions: dict[int, dict[int, _Table]] = defaultdict(lambda: defaultdict(_Table))
    agencies: dict[int, dict[int, _Table]] = defaultdict(lambda: defaultdict(_Table))
    contributions: dict[str, list] = {}  # a pattern's contribution to each table, once
    for region, agency, pattern, cases in rows:
        if pattern not in contributions:
            contributions[pattern] = _contributions(pattern, len(horizons))
        for (j, g), (key, score_key, censored) in contributions[pattern]:
            targets = [overall[(j, g)]]
            if g == 0:
                targets += [regions[j][region], agencies[j][agency]]
            for target in targets:
                target.censored += censored * cases
                if key is not None:
                    target.levels[key] += cases
                    if score_key and target is targets[0]:
                        target.scores[score_key] += cases
    tables = {
        grade: tuple(
            _level_table(
                overall[(j, g)],
                months,
                grade,
                min_cell,
                replicates,
                _seed(version.pk, months, grade),
            )
            for j, months in enumerate(horizons)
        )
        for g, grade in enumerate(GRADES)
    }
    by_region = {
        months: _group_rows(
            regions[j], months, min_cell, replicates, _seed(version.pk, months, "r")
        )
        for j, months in enumerate(horizons)
    }
    by_agency = {
        months: _group_rows(
            agencies[j], months, min_cell, replicates, _seed(version.pk, months, "a")
        )
        for j, months in enumerate(horizons)
    }
    odds = (
        _odds(
            version=version,
            level_field=level_field,
            horizons=horizons,
            now=now,
            min_cell=min_cell,
            replicates=replicates,
        )
        if items
        else None
    )
    return ValidationReport(
        instrument_version_id=version.pk,
        instrument=str(version),
        level_field=level_field,
        min_cell=min_cell,
        now=now,
        replicates=replicates,
        tables=tables,
        by_region=by_region,
        by_agency=by_agency,
        odds=odds,
        seconds=clock.monotonic() - began,
    )
