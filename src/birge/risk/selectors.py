"""Reads of risk assessments (the case itself always comes from birge.access)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone, translation

from birge.access.cases import cases_visible_to
from birge.access.fields import HEALTH, HIDDEN
from birge.cases.models import Case
from birge.risk.engine import (
    LEVELS,
    Reason,
    explain,
    reason_text,
    shipped_instruments,
    version_key,
)
from birge.risk.models import UNREADABLE_NOTICE, InstrumentVersion, RiskAssessment


def assessments_of(case: Case) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(case=case)
        .select_related("instrument_version", "assessed_by", "agency", "approved_by")
        .order_by("-created_at", "-id")
    )


def assessment_superseded(assessment: RiskAssessment) -> bool:
    """A later assessment of the case was submitted after this one."""
    if assessment.status == RiskAssessment.Status.SUPERSEDED:
        return True
    if assessment.submitted_at is None:
        return False
    return (
        RiskAssessment.objects.filter(
            case_id=assessment.case_id,
            submitted_at__gt=assessment.submitted_at,
            status__in=[RiskAssessment.Status.SUBMITTED, RiskAssessment.Status.PENDING_APPROVAL],
        )
        .exclude(pk=assessment.pk)
        .exists()
    )


# Items of the instruments that are about her health: the `health` consent scope
# (birge.access.fields). By item id, so that it holds for every version of an instrument:
# version 1 of the checklist declares none in its file, so its health items are named
# here; later versions declare `scope: health` per item, and those are added (a test
# keeps the two in agreement). An item id not in a shipped instrument fails a test.
ITEM_SCOPES = {
    "injury": HEALTH,
    "pregnancy_or_baby": HEALTH,
    "depression_or_suicidal": HEALTH,
} | {item.id: item.scope for i in shipped_instruments() for item in i.items if item.scope}


def items_hidden_from(scopes: frozenset[str]) -> frozenset[str]:
    """The instrument items whose answers a reader with these scopes may not see."""
    return frozenset(item for item, scope in ITEM_SCOPES.items() if scope not in scopes)


def assessment_explanation(assessment: RiskAssessment) -> tuple[Reason, ...]:
    """Why its level is what it is, in the order of the decision: the level, the rules of
    the instrument, incomplete answers, her fear, the judgement, the second opinion, the
    answers that were not yes (birge.risk.engine.explain)."""
    return explain(
        (Reason(code, params) for code, params in assessment.reasons),
        computed_level=assessment.computed_level,
        final_level=assessment.final_level,
        status=assessment.status,
        judged=bool(assessment.judgement_reason),
        approved=assessment.approved_by_id is not None,
        fear=assessment.victim_fear,
        judgement_alone=assessment.is_judgement,
    )


def assessment_reasons(
    assessment: RiskAssessment, *, hidden: frozenset[str] = frozenset()
) -> list[str]:
    """The explanation as sentences in the reader's language, items she may not see named
    by a neutral word (`hidden`, from `items_hidden_from`). The written reason of a
    judgement is not among them: it stays on the assessment's own page."""
    version = assessment.instrument_version
    instrument = version.readable_instrument if version is not None else None
    if version is not None and instrument is None:
        return [str(UNREADABLE_NOTICE)]
    language = (translation.get_language() or "az")[:2]
    return [
        reason_text(instrument, reason, language, hidden)
        for reason in assessment_explanation(assessment)
    ]


def assessment_answers(assessment: RiskAssessment, *, hidden: frozenset[str]) -> dict:
    """Her answers, {item: answer}, with HIDDEN for the items she may not see."""
    return {
        item: HIDDEN if item in hidden else answer for item, answer in assessment.answers.items()
    }


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str
    reasons: list[str]
    level: str = ""


def risk_chart(
    case: Case,
    *,
    width: int = 600,
    height: int = 160,
    hidden: frozenset[str] = frozenset(),
    assessments: list[RiskAssessment] | None = None,
) -> list[ChartPoint]:
    """The level over time, one point per submitted assessment, with its reasons
    (`assessments`: all of the case's, when the caller has read them already)."""
    if assessments is None:
        assessments = list(assessments_of(case))
    submitted = sorted(
        (
            (a, a.submitted_at)
            for a in assessments
            if a.status == RiskAssessment.Status.SUBMITTED and a.final_level and a.submitted_at
        ),
        key=lambda pair: (pair[1], pair[0].pk),
    )
    if not submitted:
        return []
    first = submitted[0][1].timestamp()
    span = max(submitted[-1][1].timestamp() - first, 1)
    margin = 30
    points = []
    for a, submitted_at in submitted:
        x = margin + (submitted_at.timestamp() - first) / span * (width - 2 * margin)
        y = (
            height
            - margin
            - LEVELS.index(a.final_level) / (len(LEVELS) - 1) * (height - 2 * margin)
        )
        label = f"{timezone.localtime(submitted_at):%Y-%m-%d}: {a.get_final_level_display()}"
        points.append(
            ChartPoint(
                x=round(x, 1),
                y=round(y, 1),
                label=label,
                reasons=assessment_reasons(a, hidden=hidden),
                level=a.final_level,
            )
        )
    return points


def instruments_active() -> QuerySet[InstrumentVersion]:
    """Every version that may be used for a new assessment."""
    return InstrumentVersion.objects.filter(is_active=True).order_by("instrument_id", "-added_at")


def instruments_current() -> list[InstrumentVersion]:
    """The newest active version of each instrument, by id: what new assessments use."""
    newest: dict[str, InstrumentVersion] = {}
    for version in instruments_active():
        held = newest.get(version.instrument_id)
        if held is None or version_key(version.version) > version_key(held.version):
            newest[version.instrument_id] = version
    return [newest[instrument_id] for instrument_id in sorted(newest)]


def instrument_version_for_new(
    *, instrument_id: str, version: str = ""
) -> InstrumentVersion | None:
    """The version a new assessment with this instrument uses: the one asked for if it is
    active (an agency's system may still render an older one), else the newest active."""
    if version:
        return instruments_active().filter(instrument_id=instrument_id, version=version).first()
    return next((v for v in instruments_current() if v.instrument_id == instrument_id), None)


def reassessments_overdue(*, user) -> QuerySet[Case]:
    """Cases the user may see whose next risk assessment is overdue, most overdue first."""
    return (
        cases_visible_to(user)
        .filter(reassessment_due_at__lt=timezone.now(), status=Case.Status.OPEN)
        .select_related("coordinator", "region")
        .order_by("reassessment_due_at")
    )


def reassessments_due(*, user, within: timedelta = timedelta(days=7)) -> QuerySet[Case]:
    """Open cases the user may see whose next risk assessment is overdue or due within
    `within`, the most overdue first (the home page's "my work")."""
    return (
        cases_visible_to(user)
        .filter(reassessment_due_at__lt=timezone.now() + within, status=Case.Status.OPEN)
        .order_by("reassessment_due_at", "pk")
    )
