"""Reads of risk assessments (the case itself always comes from birge.access)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to
from birge.access.fields import HEALTH, HIDDEN
from birge.cases.models import Case
from birge.risk.engine import LEVELS, Reason, reason_text
from birge.risk.models import InstrumentVersion, RiskAssessment


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
# (birge.access.fields). Declared by item id, so that it holds for every version of an
# instrument; an item id not in a shipped instrument fails a test.
ITEM_SCOPES = {
    "injury": HEALTH,
    "pregnancy_or_baby": HEALTH,
    "depression_or_suicidal": HEALTH,
}


def items_hidden_from(scopes: frozenset[str]) -> frozenset[str]:
    """The instrument items whose answers a reader with these scopes may not see."""
    return frozenset(item for item, scope in ITEM_SCOPES.items() if scope not in scopes)


def assessment_reasons(
    assessment: RiskAssessment, *, hidden: frozenset[str] = frozenset()
) -> list[str]:
    """The rules that fired, as sentences in the reader's language, items she may not see
    named by a neutral word (`hidden`, from `items_hidden_from`). A level set by judgement
    alone has no rule: it says so (its written reason stays on its own page)."""
    version = assessment.instrument_version
    if version is None:  # is_judgement
        return [_("Set by professional judgement alone, with a written reason.")]
    language = (translation.get_language() or "az")[:2]
    instrument = version.instrument
    return [
        reason_text(instrument, Reason(code, params), language, hidden)
        for code, params in assessment.reasons
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
    case: Case, *, width: int = 600, height: int = 160, hidden: frozenset[str] = frozenset()
) -> list[ChartPoint]:
    """The level over time, one point per submitted assessment, with its reasons."""
    submitted = [
        (a, a.submitted_at)
        for a in assessments_of(case).order_by("submitted_at")
        if a.status == RiskAssessment.Status.SUBMITTED and a.final_level and a.submitted_at
    ]
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
    return InstrumentVersion.objects.filter(is_active=True).order_by("instrument_id", "-added_at")


def reassessments_overdue(*, user) -> QuerySet[Case]:
    """Cases the user may see whose next risk assessment is overdue, most overdue first."""
    return (
        cases_visible_to(user)
        .filter(reassessment_due_at__lt=timezone.now(), status=Case.Status.OPEN)
        .select_related("coordinator", "region")
        .order_by("reassessment_due_at")
    )
