"""Synthetic risk assessments from a known risk model, for tests, the demo and the bench.

The model (`RiskModel`) is simple enough that its true discrimination is known exactly:

- every case has a latent risk r ~ N(0, 1);
- an assessment sees r through noise: s = r + e, e ~ N(0, noise²); its score is
  round(centre + scale·s) clipped to 0..score_max, and its level follows from the score
  by the bands of the shipped checklist (`RiskModel.for_instrument`): standard below 10,
  medium from 10, high from 14, out of as many points as it has questions. The checklist
  sets no level "critical" from a score (only professional judgement does), so neither
  does the model: the known truth the tests compare with is the checklist's own;
- new incidents on the case form a Poisson process with rate λ(r) = rate·exp(effect·r)
  per month, independent of the assessments. Being memoryless, the time from any
  assessment to the next incident is exponential, so the chance of a new incident within
  h months of an assessment is 1 − exp(−λ(r)·h) whatever came before.

`RiskModel.truth(h)` integrates these over r (numerically, to ~1e-7) into the joint
probabilities of (score, outcome), and from them the true AUC of the level and of the
score; the validation report computed on generated data should come out the same, up to
sampling error.

`assessments_generate` writes such assessments (submitted, with their score and level)
and the incidents of the process for existing cases: COPY on PostgreSQL, bulk_create
elsewhere. Each case without an assessment of the instrument version gets
`count_per_case` of them, the first a few days after its last recorded incident (or its
opening), later ones one to five months apart; nothing is dated after now.
"""

from __future__ import annotations

import json
import math
import random
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from birge.cases.models import Incident, RiskLevel
from birge.risk.engine import score as engine_score
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.risk.validation import LEVELS, auc_from_counts

DEFAULT_SEED = 2026
# Questions in the shipped checklist (version 2): its highest score.
CHECKLIST_ITEMS = 27
DAYS_PER_MONTH = 365.25 / 12
MAX_INCIDENTS_PER_CASE = 40
CHUNK = 20_000

INCIDENT_FORMS = (
    (["psychological"], 35),
    (["physical", "psychological"], 35),
    (["physical"], 10),
    (["economic", "psychological"], 10),
    (["stalking", "psychological"], 10),
)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class Truth:
    """The model's exact joint distribution at one horizon, and its AUCs."""

    months: int
    # score -> (P(score, outcome), P(score, no outcome))
    by_score: dict[int, tuple[float, float]]
    by_level: dict[str, tuple[float, float]]
    prevalence: float
    auc_level: float
    auc_score: float


@dataclass(frozen=True)
class RiskModel:
    noise: float = 0.8  # sd of the assessment's error around the latent risk
    centre: float = 8.5  # score at latent risk 0
    scale: float = 3.5  # score points per unit of latent risk
    score_max: int = CHECKLIST_ITEMS
    # (min_score, level), increasing: the checklist's bands (a test holds them equal).
    bands: tuple[tuple[int, str], ...] = ((10, RiskLevel.MEDIUM), (14, RiskLevel.HIGH))
    rate: float = 0.04  # new incidents a month at latent risk 0
    effect: float = 0.9  # log rate ratio per sd of latent risk

    @classmethod
    def for_instrument(cls, instrument, **parameters: Any) -> RiskModel:
        """The model with an instrument's bands and its number of points (one per
        question, as the checklist counts "yes" answers)."""
        plan = instrument.plan
        bands = tuple(
            (int(m), level) for m, level in plan.thresholds if level != RiskLevel.STANDARD
        )
        score_max = int(sum(plan.weights.values()))
        return cls(score_max=score_max, bands=bands, **parameters)

    def level_of(self, score: int) -> str:
        level = RiskLevel.STANDARD
        for minimum, band in self.bands:
            if score >= minimum:
                level = band
        return level

    def score_of(self, seen: float) -> int:
        return min(self.score_max, max(0, math.floor(self.centre + self.scale * seen + 0.5)))

    def monthly_rate(self, r: float) -> float:
        return self.rate * math.exp(self.effect * r)

    def truth(self, months: int, *, step: float = 0.004, span: float = 8.0) -> Truth:
        """Integrate over r (Simpson's rule on [-span, span]) the exact probabilities."""
        n = int(2 * span / step) // 2 * 2
        h = 2 * span / n
        # Bounds on s = r + e for each score: score k when bounds[k] <= s < bounds[k + 1].
        bounds = [-math.inf] + [(k + 0.5 - self.centre) / self.scale for k in range(self.score_max)]
        bounds.append(math.inf)
        pos = [0.0] * (self.score_max + 1)
        neg = [0.0] * (self.score_max + 1)
        for i in range(n + 1):
            r = -span + i * h
            weight = (1 if i in (0, n) else 4 if i % 2 else 2) * h / 3
            density = math.exp(-r * r / 2) / math.sqrt(2 * math.pi) * weight
            p_outcome = 1.0 - math.exp(-self.monthly_rate(r) * months)
            cdf = [
                0.0 if b == -math.inf else 1.0 if b == math.inf else _phi((b - r) / self.noise)
                for b in bounds
            ]
            for k in range(self.score_max + 1):
                p = (cdf[k + 1] - cdf[k]) * density
                pos[k] += p * p_outcome
                neg[k] += p * (1.0 - p_outcome)
        by_score = {k: (pos[k], neg[k]) for k in range(self.score_max + 1)}
        by_level: dict[str, tuple[float, float]] = {level: (0.0, 0.0) for level in LEVELS}
        for k, (p, q) in by_score.items():
            a, b = by_level[self.level_of(k)]
            by_level[self.level_of(k)] = (a + p, b + q)
        ordinal = {LEVELS.index(level): counts for level, counts in by_level.items()}
        return Truth(
            months=months,
            by_score=by_score,
            by_level=by_level,
            prevalence=sum(pos) / (sum(pos) + sum(neg)),
            auc_level=auc_from_counts(ordinal) or 0.0,
            auc_score=auc_from_counts(by_score) or 0.0,
        )


DEFAULT_MODEL = RiskModel()


# --- Drawing one case ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What the generator needs to know of an existing case."""

    id: int
    opened_on: date
    last_incident_on: date | None
    agency_id: int
    user_id: int


@dataclass(frozen=True, slots=True)
class Drawn:
    assessments: list[tuple[datetime, int, str]]  # submitted_at, score, level
    incidents: list[date]


def case_draw(
    rng: random.Random,
    model: RiskModel,
    case: CaseRow,
    *,
    count: int,
    now: datetime,
    tz: Any,
) -> Drawn:
    """Assessments and later incidents of one case, from the model."""
    today = timezone.localtime(now, tz).date()
    r = rng.gauss(0.0, 1.0)
    start = max(case.opened_on, case.last_incident_on or case.opened_on)
    day = start + timedelta(days=rng.randrange(0, 8))
    assessments: list[tuple[datetime, int, str]] = []
    for _ in range(count):
        if day > today:
            break
        moment = datetime.combine(
            day, time(rng.randrange(9, 18), rng.randrange(60), rng.randrange(60)), tz
        )
        moment = min(moment, now - timedelta(minutes=1))
        score = model.score_of(r + rng.gauss(0.0, model.noise))
        assessments.append((moment, score, model.level_of(score)))
        day += timedelta(days=rng.randrange(30, 151))
    incidents: list[date] = []
    if assessments:
        first = timezone.localtime(assessments[0][0], tz).date()
        last = timezone.localtime(assessments[-1][0], tz).date()
        end = min(today, last + timedelta(days=370))
        per_day = model.monthly_rate(r) / DAYS_PER_MONTH
        t = 0.0
        while len(incidents) < MAX_INCIDENTS_PER_CASE:
            t += rng.expovariate(per_day)
            occurred = first + timedelta(days=max(1, math.ceil(t)))
            if occurred > end:
                break
            incidents.append(occurred)
    return Drawn(assessments, incidents)


# --- Writing ---------------------------------------------------------------------------

ASSESSMENT_COLUMNS = (
    "case_id",
    "instrument_version_id",
    "assessed_by_id",
    "agency_id",
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "answers",
    "victim_fear",
    "victim_view",
    "score",
    "computed_level",
    "reasons",
    "final_level",
    "judgement_reason",
)
INCIDENT_COLUMNS = (
    "case_id",
    "occurred_on",
    "place",
    "forms",
    "injuries",
    "weapon",
    "children_present",
    "children_witnessed",
    "reporting_agency_id",
    "narrative",
    "recorded_by_id",
    "recorded_at",
)


@dataclass
class Result:
    cases: int = 0
    assessments: int = 0
    incidents: int = 0
    seconds: float = 0.0


def _cases_without(version: InstrumentVersion) -> Iterator[list[CaseRow]]:
    """Chunks of cases (not retired) with no assessment of the version, in id order.

    (The unary plus keeps SQLite from probing by instrument version, which would read
    every assessment of the version for each case, instead of by case.)"""
    tz = timezone.get_current_timezone()
    sql = """
        SELECT c.id, c.opened_at, c.owning_agency_id, c.created_by_id,
               (SELECT MAX(i.occurred_on) FROM cases_incident i WHERE i.case_id = c.id)
        FROM cases_case c
        WHERE c.status <> 'retired' AND c.id > %s AND NOT EXISTS (
            SELECT 1 FROM risk_riskassessment a
            WHERE a.case_id = c.id AND +a.instrument_version_id = %s
        )
        ORDER BY c.id
        LIMIT %s
    """
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [after, version.pk, CHUNK])
            rows = cursor.fetchall()
        if not rows:
            return
        out = []
        for case_id, opened_at, agency_id, user_id, last in rows:
            if isinstance(opened_at, str):  # SQLite without converters in raw SQL
                opened_at = datetime.fromisoformat(opened_at)
            if opened_at.tzinfo is None:
                opened_at = opened_at.replace(tzinfo=UTC)
            if isinstance(last, str):
                last = date.fromisoformat(last)
            opened_on = timezone.localtime(opened_at, tz).date()
            out.append(CaseRow(case_id, opened_on, last, agency_id, user_id))
        after = rows[-1][0]
        yield out


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return

    def text(value: Any) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    body = "\n".join("\t".join(text(v) for v in row) for row in rows) + "\n"
    names = ", ".join(f'"{c}"' for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
    ):
        copy.write(body.encode())


def _bulk(model: Any, columns: tuple[str, ...], rows: list[tuple]) -> None:
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
    )


def _answered(
    rng: random.Random, instrument, score: int, model: RiskModel = DEFAULT_MODEL
) -> tuple[dict, float, str, list]:
    """Answers with `score` yes among the items, scored by the engine. Below the model's
    top band the "yes" answers fall on questions that set no level on their own, so the
    engine gives the level the model does (a critical "yes" would lift it)."""

    items = [item.id for item in instrument.items]
    top = model.bands[-1][0] if model.bands else math.inf
    plain = [item.id for item in instrument.items if not item.critical]
    pool = plain if score < top and score <= len(plain) else items
    yes = set(rng.sample(pool, min(score, len(pool))))
    answers = {item: "yes" if item in yes else "no" for item in items}
    result = engine_score(instrument, answers)
    reasons = [[reason.code, reason.params] for reason in result.reasons]
    return answers, result.score, result.level, reasons


def assessments_generate(
    *,
    instrument_version: InstrumentVersion | None = None,
    count_per_case: int = 1,
    seed: int = DEFAULT_SEED,
    model: RiskModel = DEFAULT_MODEL,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    answered: bool = False,
) -> Result:
    """Submitted assessments of `instrument_version` (default: the first active one)
    for every case that has none of it yet, with the new incidents the model gives.

    Runs in one transaction; on PostgreSQL the rows go in with COPY and the two tables
    are analysed afterwards. `progress(cases_done)` is called after every chunk.

    `answered`: give each assessment answers (as many "yes" as its score, the items drawn
    at random) and let the engine score them, so that its page shows answers, level and
    reasons as a real one does (the demo); the known-AUC tests leave it off."""
    began = clock.monotonic()
    if instrument_version is None:
        instrument_version = InstrumentVersion.objects.filter(is_active=True).first()
        if instrument_version is None:
            raise LookupError("No active instrument version to generate assessments for.")
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    rng = random.Random(seed)  # noqa: S311 -- synthetic data
    postgres = connection.vendor == "postgresql"
    result = Result()
    forms_values = [forms for forms, _ in INCIDENT_FORMS]
    forms_weights = [weight for _, weight in INCIDENT_FORMS]
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for chunk in _cases_without(instrument_version):
            assessments: list[tuple] = []
            incidents: list[tuple] = []
            for case in chunk:
                drawn = case_draw(rng, model, case, count=count_per_case, now=now, tz=tz)
                for submitted_at, score, level in drawn.assessments:
                    answers, reasons = {}, []
                    if answered:
                        answers, score, level, reasons = _answered(
                            rng, instrument_version.instrument, score, model
                        )
                    assessments.append(
                        (
                            case.id,
                            instrument_version.pk,
                            case.user_id,
                            case.agency_id,
                            RiskAssessment.Status.SUBMITTED,
                            submitted_at,
                            submitted_at,
                            submitted_at,
                            answers,
                            RiskAssessment.Fear.NOT_ASKED,
                            "",
                            float(score),
                            level,
                            reasons,
                            level,
                            "",
                        )
                    )
                for day in drawn.incidents:
                    forms = rng.choices(forms_values, forms_weights)[0]
                    recorded_at = datetime.combine(day, time(rng.randrange(8, 20)), tz)
                    incidents.append(
                        (
                            case.id,
                            day,
                            "",
                            forms,
                            "physical" in forms and rng.random() < 0.5,
                            "none",
                            False,
                            False,
                            case.agency_id,
                            "",
                            case.user_id,
                            min(recorded_at, now),
                        )
                    )
                result.cases += bool(drawn.assessments)
            if postgres:
                _copy(RiskAssessment._meta.db_table, ASSESSMENT_COLUMNS, assessments)
                _copy(Incident._meta.db_table, INCIDENT_COLUMNS, incidents)
            else:
                _bulk(RiskAssessment, ASSESSMENT_COLUMNS, assessments)
                _bulk(Incident, INCIDENT_COLUMNS, incidents)
            result.assessments += len(assessments)
            result.incidents += len(incidents)
            if progress:
                progress(result.cases)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{RiskAssessment._meta.db_table}"')
            cursor.execute(f'ANALYZE "{Incident._meta.db_table}"')
    result.seconds = clock.monotonic() - began
    return result
