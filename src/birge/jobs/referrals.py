"""Referral deadlines: a reminder, then escalation to the agency lead, then to the
coordinating body, for referrals sent and not answered.

For a referral sent at S and due at D (the protocol's promise, span P = D − S):

- reminder to the receiving agency's users who receive referrals, once
  BIRGE_REFERRAL_REMINDER_SHARE (75 %) of P has passed: at S + 0.75·P;
- escalation to the receiving agency's lead(s) when D has passed;
- escalation to the coordinating body when a further BIRGE_REFERRAL_NATIONAL_FACTOR·P
  (one more P) has passed: after D + P.

Each step is its own timestamp on the referral (reminded_at, escalated_at,
escalated_national_at); birge.jobs.deadlines makes each happen once.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from birge.agencies.models import Agency, Role, User
from birge.audit.services import event_record
from birge.jobs.deadlines import Deadline, Step, deadline_pass, share_of_span
from birge.notifications.services import notify
from birge.referrals.models import Referral

REMINDER = Step("reminded_at", "referral.reminder", "referral.reminded", "receivers")
ESCALATION = Step("escalated_at", "referral.overdue", "referral.escalated", "leads")
NATIONAL = Step(
    "escalated_national_at", "referral.overdue_national", "referral.escalated_national", "national"
)
STEPS = (REMINDER, ESCALATION, NATIONAL)


def reminder_share() -> float:
    return float(getattr(settings, "BIRGE_REFERRAL_REMINDER_SHARE", 0.75))


def national_factor() -> float:
    return float(getattr(settings, "BIRGE_REFERRAL_NATIONAL_FACTOR", 1.0))


def step_due(step: Step, *, sent_at: datetime, due_at: datetime, now: datetime) -> bool:
    """Whether the time for the step has come (the edges: the reminder at exactly 75 %;
    escalation only once the due time has passed, as compliance counts an answer at the
    due time as in time)."""
    if step is REMINDER:
        return now >= share_of_span(sent_at, due_at, reminder_share())
    if step is ESCALATION:
        return now > due_at
    return now > due_at + (due_at - sent_at) * national_factor()


def referral_deadlines(now: datetime | None = None) -> int:
    """One pass over referrals waiting for an answer. Returns how many steps happened."""
    audiences = Audiences()

    def act(referral: Referral, step: Step, now: datetime) -> None:
        event_record(
            action=step.action,
            object_type="referral",
            object_id=referral.pk,
            data={"agency": referral.to_agency_id},
        )
        notify(
            recipients=audiences.of(step.audience, agency_id=referral.to_agency_id),
            kind=step.kind,
            params={"referral": referral.pk, "agency_id": referral.to_agency_id},
            url=f"/referrals/{referral.pk}/",
            dedupe_key=f"referral:{referral.pk}:{step.field}",
        )

    deadline = Deadline(
        waiting=lambda: Referral.objects.filter(
            status=Referral.Status.SENT, sent_at__isnull=False, due_at__isnull=False
        ),
        span_fields=("sent_at", "due_at"),
        span=lambda sent_at, due_at: (sent_at, due_at),
        steps=STEPS,
        is_due=lambda step, start, due, now: step_due(step, sent_at=start, due_at=due, now=now),
        act=act,
    )
    return deadline_pass(deadline, now or timezone.now())


class Audiences:
    """Who hears of a step, read once per agency and pass (not once per row):
    "receivers" (who answer referrals), "attenders" (who attend conferences), "leads"
    (agency leads) of an agency, or "national" (the coordinating body's leads)."""

    CAPABILITIES = {
        "receivers": ("referral.receive",),
        "attenders": ("conference.attend",),
        "leads": ("agency.oversee",),
        "national": ("agency.oversee", "protocol.manage"),
    }

    def __init__(self):
        self._roles: dict[str, list[int]] = {}
        self._users: dict[tuple, list[User]] = {}

    def _role_ids(self, audience: str) -> list[int]:
        if audience not in self._roles:
            wanted = set(self.CAPABILITIES[audience])
            self._roles[audience] = [
                role.pk for role in Role.objects.all() if wanted & set(role.capabilities or [])
            ]
        return self._roles[audience]

    def of(self, audience: str, *, agency_id: int) -> list[User]:
        key = (audience, None if audience == "national" else agency_id)
        if key not in self._users:
            users = User.objects.filter(is_active=True, roles__in=self._role_ids(audience))
            if audience == "national":
                users = users.filter(agency__kind=Agency.Kind.COORDINATING_BODY)
            else:
                users = users.filter(agency_id=agency_id)
            self._users[key] = list(users.distinct().order_by("pk"))
        return self._users[key]
