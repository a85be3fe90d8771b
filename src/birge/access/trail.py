"""Every decision about access leaves a trace: reads, refusals and attempts on a case
hidden by a declared relation, and the auditors' alert on unusual reading.

The VioGén lesson: reading is the harm. So a read is recorded (`case.viewed`, with whether
the reader is assigned to the case), and so is a refusal (`access.denied`: the kind and id
that was asked for, which may not even exist; the event says no more than the 404 did). A
scan of other agencies' ids cannot flood the log: a user's refusals are recorded one by one
up to `BIRGE_DENIED_READS_LOGGED` an hour, then once more as a summary per hour. Reads of
cases she is not assigned to and refusals both count towards the alert that tells the
auditors when she looks at more than `BIRGE_UNASSIGNED_VIEWS_ALERT` such cases within
`BIRGE_UNASSIGNED_VIEWS_HOURS`.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from birge.access.registry import Record
from birge.agencies.models import User
from birge.agencies.selectors import users_with_capability
from birge.audit.models import AuditEvent
from birge.audit.services import event_record
from birge.notifications.services import notify

DENIED = "access.denied"
DENIED_MANY = "access.denied.many"
CONFLICT_ATTEMPT = "case.conflict_attempt"
UNASSIGNED_ALERT = "audit.alert.unassigned_views"
# For the auditors' eyes only: not on a case's timeline nor in "who accessed this case",
# where they would tell the circle who probed an id, or who is related to whom.
AUDITORS_ONLY = (DENIED, DENIED_MANY, CONFLICT_ATTEMPT)


def case_read_record(*, user: User, case: Record, channel: str = "page") -> None:
    """She saw the case (page, print, API, export…)."""
    assigned = user.pk in (case.coordinator_id, case.created_by_id)
    # One transaction with the request's, no savepoint: a read that cannot be recorded fails.
    with transaction.atomic(savepoint=False):
        event_record(
            action="case.viewed",
            actor=user,
            object_type="case",
            object_id=case.pk,
            data={"channel": channel, "assigned": assigned},
        )
        if not assigned:
            _check_unassigned_reading(user)


def access_denied_record(*, user: User, object_type: str, object_id: int | str) -> None:
    """She asked for something that does not exist for her (a 404)."""
    if not getattr(user, "is_authenticated", False):
        return
    since = timezone.now() - timedelta(hours=1)
    recent = AuditEvent.objects.filter(
        actor=user, action__in=(DENIED, DENIED_MANY), occurred_at__gte=since
    )
    logged = recent.filter(action=DENIED).count()
    with transaction.atomic():
        if logged < settings.BIRGE_DENIED_READS_LOGGED:
            event_record(
                action=DENIED,
                actor=user,
                object_type=object_type,
                object_id=str(object_id)[:64],
            )
        elif not recent.filter(action=DENIED_MANY).exists():
            event_record(
                action=DENIED_MANY,
                actor=user,
                data={"logged_in_the_last_hour": logged},
            )
        _check_unassigned_reading(user)


def conflict_attempt_record(*, user: User, case: Record) -> None:
    """She tried to open a case of a person she declared a relation to."""
    with transaction.atomic():
        event_record(action=CONFLICT_ATTEMPT, actor=user, object_type="case", object_id=case.pk)
        notify(
            recipients=users_with_capability("audit.read"),
            kind="audit.conflict_attempt",
            params={"reference": case.reference},
            url=f"/audit/?object_type=case&object_id={case.pk}",
            dedupe_key=f"conflict:{user.pk}:{case.pk}:{timezone.localdate().isoformat()}",
        )


def _check_unassigned_reading(user: User) -> None:
    window = timedelta(hours=settings.BIRGE_UNASSIGNED_VIEWS_HOURS)
    since = timezone.now() - window
    count = (
        AuditEvent.objects.filter(actor=user, occurred_at__gte=since)
        .filter(Q(action="case.viewed", data__assigned=False) | Q(action=DENIED))
        .values("object_type", "object_id")
        .distinct()
        .count()
    )
    if count <= settings.BIRGE_UNASSIGNED_VIEWS_ALERT:
        return
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    if AuditEvent.objects.filter(
        actor=user, action=UNASSIGNED_ALERT, occurred_at__gte=midnight
    ).exists():
        return  # the auditors heard of her today already: every further read stays cheap
    day = today.isoformat()
    created = notify(
        recipients=users_with_capability("audit.read"),
        kind="audit.unassigned_views",
        params={"count": count, "hours": settings.BIRGE_UNASSIGNED_VIEWS_HOURS},
        url=f"/audit/?actor={user.username}",
        dedupe_key=f"unassigned:{user.pk}:{day}",
    )
    if created:
        event_record(
            action=UNASSIGNED_ALERT,
            actor=user,
            object_type="user",
            object_id=user.pk,
            data={"count": count},
        )
