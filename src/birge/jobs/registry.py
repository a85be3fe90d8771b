"""The jobs by name, how often the scheduler runs each, and one pass of them."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from birge.jobs.audit_checkpoint import audit_checkpoint
from birge.jobs.audit_seal import audit_seal
from birge.jobs.conferences import conference_action_deadlines
from birge.jobs.drafts import draft_expiry
from birge.jobs.emergency import emergency_access_expiry
from birge.jobs.idempotency import idempotency_expiry
from birge.jobs.notification_emails import notification_emails
from birge.jobs.orders import order_expiry, order_expiry_reminders
from birge.jobs.reassessments import reassessment_deadlines
from birge.jobs.referrals import referral_deadlines
from birge.jobs.retention import retention
from birge.jobs.statistics import statistics_refresh
from birge.jobs.unassigned_reading import unassigned_reading

Job = Callable[[datetime | None], int]

JOBS: dict[str, Job] = {
    "referral_deadlines": referral_deadlines,
    "conference_action_deadlines": conference_action_deadlines,
    "reassessment_deadlines": reassessment_deadlines,
    "emergency_access_expiry": emergency_access_expiry,
    "retention": retention,
    "idempotency_expiry": idempotency_expiry,
    "audit_seal": audit_seal,
    "audit_checkpoint": audit_checkpoint,
    "unassigned_reading": unassigned_reading,
    "notification_emails": notification_emails,
    "draft_expiry": draft_expiry,
    "order_expiry": order_expiry,
    "order_expiry_reminders": order_expiry_reminders,
    "statistics_refresh": statistics_refresh,
}

# How often `birge scheduler` runs each job.
SCHEDULE: dict[str, timedelta] = {
    "referral_deadlines": timedelta(minutes=1),
    "conference_action_deadlines": timedelta(minutes=1),
    "reassessment_deadlines": timedelta(minutes=5),
    "emergency_access_expiry": timedelta(minutes=1),
    "retention": timedelta(days=1),
    "idempotency_expiry": timedelta(hours=1),
    "audit_seal": timedelta(seconds=5),
    "audit_checkpoint": timedelta(seconds=settings.BIRGE_AUDIT_CHECKPOINT_INTERVAL),
    "unassigned_reading": timedelta(minutes=1),
    "notification_emails": timedelta(seconds=30),
    "draft_expiry": timedelta(hours=1),
    "order_expiry": timedelta(minutes=15),
    "order_expiry_reminders": timedelta(minutes=15),
    "statistics_refresh": timedelta(minutes=10),
}


def jobs_run(*, names: list[str] | None = None, now: datetime | None = None) -> dict[str, int]:
    """One pass of the named jobs (all without names), in registry order: name → count."""
    unknown = sorted(set(names or []) - set(JOBS))
    if unknown:
        raise KeyError(", ".join(unknown))
    return {name: job(now) for name, job in JOBS.items() if not names or name in names}
