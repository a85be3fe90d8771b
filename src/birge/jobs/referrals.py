"""Referral deadlines: a reminder, then escalation to the agency lead, then to the
coordinating body, for referrals sent and not answered.

For a referral sent at S and due at D (the protocol's promise, span P = D − S):

- reminder to the receiving agency's users who receive referrals, once
  BIRGE_REFERRAL_REMINDER_SHARE (75 %) of P has passed: at S + 0.75·P;
- escalation to the receiving agency's lead(s) when D has passed;
- escalation to the coordinating body when a further BIRGE_REFERRAL_NATIONAL_FACTOR·P
  (one more P) has passed: after D + P.

Each step is its own timestamp on the referral (reminded_at, escalated_at,
escalated_national_at), claimed with SKIP LOCKED and set in the transaction that writes
the notifications and the audit event: a step happens once, however often and on however
many servers the job runs. A step whose time came while no job ran still happens.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from birge.agencies.models import Agency, Role, User
from birge.audit.services import event_record
from birge.notifications.services import notify
from birge.referrals.models import Referral

BATCH = 200


@dataclass(frozen=True)
class Step:
    field: str  # the referral's timestamp that says the step happened
    kind: str  # the notification
    action: str  # the audit event
    audience: str  # "receivers", "leads" or "national"


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
    span = max(due_at - sent_at, timedelta(0))
    if step is REMINDER:
        return now >= sent_at + span * reminder_share()
    if step is ESCALATION:
        return now > due_at
    return now > due_at + span * national_factor()


def referral_deadlines(now: datetime | None = None) -> int:
    """One pass over referrals waiting for an answer. Returns how many steps happened."""
    now = now or timezone.now()
    waiting = Referral.objects.filter(
        status=Referral.Status.SENT, sent_at__isnull=False, due_at__isnull=False
    ).filter(
        Q(reminded_at__isnull=True)
        | Q(escalated_at__isnull=True)
        | Q(escalated_national_at__isnull=True)
    )
    # Cheap read without locks; each claim below checks again under the lock.
    candidates = waiting.values_list(
        "pk", "sent_at", "due_at", "reminded_at", "escalated_at", "escalated_national_at"
    )
    due: dict[Step, list[int]] = {step: [] for step in STEPS}
    for pk, sent_at, due_at, *done in candidates.iterator(chunk_size=2000):
        for step, done_at in zip(STEPS, done, strict=True):
            if done_at is None and step_due(step, sent_at=sent_at, due_at=due_at, now=now):
                due[step].append(pk)
    audiences = _Audiences()
    count = 0
    for step in STEPS:
        ids = due[step]
        for start in range(0, len(ids), BATCH):
            count += _claim_and_notify(step, ids[start : start + BATCH], now, audiences)
    return count


def _claim_and_notify(step: Step, ids: list[int], now: datetime, audiences: "_Audiences") -> int:
    with transaction.atomic():
        referrals = list(
            Referral.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Referral.Status.SENT, **{f"{step.field}__isnull": True})
            .order_by("pk")
            .only("pk", "to_agency_id", "due_at")
        )
        if not referrals:
            return 0
        Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(**{step.field: now})
        for referral in referrals:
            event_record(
                action=step.action,
                object_type="referral",
                object_id=referral.pk,
                data={"agency": referral.to_agency_id},
            )
            notify(
                recipients=audiences.of(step, agency_id=referral.to_agency_id),
                kind=step.kind,
                params={"referral": referral.pk, "agency_id": referral.to_agency_id},
                url=f"/referrals/{referral.pk}/",
                dedupe_key=f"referral:{referral.pk}:{step.field}",
            )
    return len(referrals)


class _Audiences:
    """Who hears of each step, read once per agency and pass (not once per referral)."""

    def __init__(self):
        self._roles: dict[str, list[int]] = {}
        self._users: dict[tuple, list[User]] = {}

    def _role_ids(self, *capabilities: str) -> list[int]:
        key = ",".join(capabilities)
        if key not in self._roles:
            self._roles[key] = [
                role.pk
                for role in Role.objects.all()
                if set(capabilities) & set(role.capabilities or [])
            ]
        return self._roles[key]

    def of(self, step: Step, *, agency_id: int) -> list[User]:
        key = (step.audience, None if step.audience == "national" else agency_id)
        if key not in self._users:
            users = User.objects.filter(is_active=True)
            if step.audience == "receivers":
                users = users.filter(roles__in=self._role_ids("referral.receive"))
                users = users.filter(agency_id=agency_id)
            elif step.audience == "leads":
                users = users.filter(roles__in=self._role_ids("agency.oversee"))
                users = users.filter(agency_id=agency_id)
            else:
                users = users.filter(
                    roles__in=self._role_ids("agency.oversee", "protocol.manage"),
                    agency__kind=Agency.Kind.COORDINATING_BODY,
                )
            self._users[key] = list(users.distinct().order_by("pk"))
        return self._users[key]
