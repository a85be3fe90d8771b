"""Overdue risk reassessments, chased the way referrals are (birge.jobs.deadlines).

A case's next assessment falls due by its level (BIRGE_REASSESS_*_HOURS, the span P: 72
hours at critical … 60 days at standard). Once that due time D has passed with no new
assessment:

- a reminder to the assessor of the assessment in force, while she can still see the
  case and assess (otherwise to the case's coordinators, or whoever hears of an
  escalation: `case_escalation_recipients`), at once;
- escalation to the lead(s) of the owning and of the coordinating agency once a further
  BIRGE_REASSESS_LEAD_SHARE (0.25) of P has passed: at D + P/4 (18 hours late at
  critical, 15 days at standard); with no lead there, the coordinating body;
- escalation to the coordinating body once a further BIRGE_REASSESS_NATIONAL_SHARE (1.0)
  of P has passed: at D + P. The coordinating body as for referrals: its leads, who
  oversee that agencies keep their deadlines, and those who keep the co-operation
  protocol (`protocol.manage`); never its analysts, who see aggregates only.

A case with no level yet (an incident made its first assessment due) is chased on the
shortest span: not knowing the risk is no reason to wait.

Each step is a timestamp on the chase of that due time (birge.jobs.models), made once
D has passed; a new assessment gives the case a new due time, and with it a new chase.
Notifications carry the case's reference only; the coordinating body's get no link,
since the case is not in its circle.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from birge.access.cases import cases_visible_to, coordinating_agency_id
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import Case
from birge.cases.services._common import case_escalation_recipients
from birge.jobs.deadlines import BATCH, Deadline, Step, deadline_pass, share_of_span
from birge.jobs.models import ReassessmentChase
from birge.jobs.referrals import Audiences
from birge.notifications.services import notify
from birge.risk.models import RiskAssessment

REMINDER = Step(
    "reminded_at", "risk.reassessment_reminder", "risk.reassessment_reminded", "assessor"
)
ESCALATION = Step(
    "escalated_at", "risk.reassessment_overdue", "risk.reassessment_escalated", "leads"
)
NATIONAL = Step(
    "escalated_national_at",
    "risk.reassessment_overdue_national",
    "risk.reassessment_escalated_national",
    "national",
)
STEPS = (REMINDER, ESCALATION, NATIONAL)


def lead_share() -> float:
    return float(getattr(settings, "BIRGE_REASSESS_LEAD_SHARE", 0.25))


def national_share() -> float:
    return float(getattr(settings, "BIRGE_REASSESS_NATIONAL_SHARE", 1.0))


def level_span(level: str) -> timedelta:
    """The time between assessments at this level; with no level, the shortest."""
    hours = settings.BIRGE_REASSESSMENT_HOURS
    return timedelta(hours=hours.get(level) or min(hours.values()))


def step_due(step: Step, *, due_at: datetime, span_end: datetime, now: datetime) -> bool:
    """Whether the step's time has come: `due_at` the missed due time, `span_end` one
    span P after it (every step waits until a moment has *passed*, as the overdue list
    counts a case overdue only after its due time)."""
    share = {REMINDER: 0.0, ESCALATION: lead_share(), NATIONAL: national_share()}[step]
    return now > share_of_span(due_at, span_end, share)


def chases_open(now: datetime) -> int:
    """A chase for each open case whose due time has passed and that has none for that
    time. Servers that do this at once insert the same rows; the unique constraint
    keeps one."""
    missing = Case.objects.filter(status=Case.Status.OPEN, reassessment_due_at__lt=now).exclude(
        Exists(
            ReassessmentChase.objects.filter(
                case=OuterRef("pk"), due_at=OuterRef("reassessment_due_at")
            )
        )
    )
    rows = [
        ReassessmentChase(case_id=pk, due_at=due_at)
        for pk, due_at in missing.values_list("pk", "reassessment_due_at").iterator(chunk_size=2000)
    ]
    ReassessmentChase.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def reassessment_deadlines(now: datetime | None = None) -> int:
    """One pass over overdue reassessments. Returns how many steps happened."""
    now = now or timezone.now()
    chases_open(now)
    audiences = Audiences()

    def act(chase: ReassessmentChase, step: Step, now: datetime) -> None:
        case = chase.case
        if step is REMINDER:
            recipients = _assessor_or_coordinators(case)
        elif step is ESCALATION:
            agencies = {case.owning_agency_id, coordinating_agency_id(case)}
            recipients = [
                lead
                for agency_id in sorted(agencies)
                for lead in audiences.of("leads", agency_id=agency_id)
            ] or audiences.of("national", agency_id=case.owning_agency_id)
        else:
            recipients = audiences.of("national", agency_id=case.owning_agency_id)
        event_record(
            action=step.action,
            object_type="case",
            object_id=case.pk,
            data={"due": chase.due_at.isoformat()},
        )
        notify(
            recipients=recipients,
            kind=step.kind,
            params={"reference": case.reference},
            url="" if step is NATIONAL else f"/cases/{case.pk}/",
            # The due time, not the chase's row: a step is told once even if the row is lost.
            dedupe_key=f"reassessment:{case.pk}:{int(chase.due_at.timestamp())}:{step.field}",
        )

    deadline = Deadline(
        waiting=lambda: ReassessmentChase.objects.filter(
            case__status=Case.Status.OPEN, case__reassessment_due_at=F("due_at")
        ).select_related("case", "case__coordinator"),
        span_fields=("due_at", "case__risk_level"),
        span=lambda due_at, level: (due_at, due_at + level_span(level)),
        steps=STEPS,
        is_due=lambda step, start, end, now: step_due(step, due_at=start, span_end=end, now=now),
        act=act,
    )
    return deadline_pass(deadline, now)


def _assessor_or_coordinators(case: Case) -> list:
    """The assessor of the assessment in force, while she can still see the case and
    assess; otherwise those who hear of an escalation (the coordinators first)."""
    in_force = (
        RiskAssessment.objects.filter(case_id=case.pk, status=RiskAssessment.Status.SUBMITTED)
        .select_related("assessed_by")
        .order_by("-submitted_at", "-id")
        .first()
    )
    assessor = in_force.assessed_by if in_force is not None else None
    if (
        assessor is not None
        and assessor.is_active
        and user_has_capability(assessor, "risk.assess")
        and cases_visible_to(assessor).filter(pk=case.pk).exists()
    ):
        return [assessor]
    return case_escalation_recipients(case)
