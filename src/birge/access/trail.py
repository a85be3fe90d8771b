"""Every decision about access leaves a trace: reads, refusals and attempts on a case
hidden by a declared relation, and the auditors' alert on unusual reading.

The VioGén lesson: reading is the harm. So a read is recorded (`case.viewed`, with whether
the reader is assigned to the case), and so is a refusal (`access.denied`: the kind and id
that was asked for, which may not even exist; the event says no more than the 404 did). A
scan of other agencies' ids cannot flood the log: a user's refusals are recorded one by one
up to `BIRGE_DENIED_READS_LOGGED` an hour, then once more as a summary per hour. Reads of
cases she is not assigned to and refusals both count towards the alert that tells the
auditors when she looks at more than `BIRGE_UNASSIGNED_VIEWS_ALERT` such cases within
`BIRGE_UNASSIGNED_VIEWS_HOURS` (asked by the `unassigned_reading` job every minute for
everyone at once, so that a read costs one insert).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Concat
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
    """She saw the case (page, print, API, export…): one insert, and a read that cannot be
    recorded fails. (Whether she reads too many cases she is not assigned to is the
    `unassigned_reading` job's question, asked every minute, not each read's.)"""
    assigned = user.pk in (case.coordinator_id, case.created_by_id)
    event_record(
        action="case.viewed",
        actor=user,
        object_type="case",
        object_id=case.pk,
        data={"channel": channel, "assigned": assigned},
    )


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


def unassigned_reading_alerts(now: datetime | None = None) -> int:
    """Tell the auditors of everyone who, within BIRGE_UNASSIGNED_VIEWS_HOURS, read or
    asked for more than BIRGE_UNASSIGNED_VIEWS_ALERT distinct cases (or other records)
    that are not hers; once a day per person. One grouped query for everyone, so that no
    read pays for it. Returns how many people the auditors heard of."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.BIRGE_UNASSIGNED_VIEWS_HOURS)
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    alerted = AuditEvent.objects.filter(action=UNASSIGNED_ALERT, occurred_at__gte=midnight)
    readers = (
        AuditEvent.objects.filter(occurred_at__gte=since, occurred_at__lte=now)
        .filter(Q(action="case.viewed", data__assigned=False) | Q(action=DENIED))
        .exclude(actor_id__in=alerted.values("actor_id"))
        .values("actor_id")
        .annotate(records=Count(Concat("object_type", Value(":"), "object_id"), distinct=True))
        .filter(records__gt=settings.BIRGE_UNASSIGNED_VIEWS_ALERT)
        .order_by("actor_id")
    )
    told = 0
    day = timezone.localdate(now).isoformat()
    people = {u.pk: u for u in User.objects.filter(pk__in=[r["actor_id"] for r in readers])}
    for row in readers:
        user = people.get(row["actor_id"])
        if user is None:
            continue
        with transaction.atomic():
            created = notify(
                recipients=users_with_capability("audit.read"),
                kind="audit.unassigned_views",
                params={"count": row["records"], "hours": settings.BIRGE_UNASSIGNED_VIEWS_HOURS},
                url=f"/audit/?actor={user.username}",
                dedupe_key=f"unassigned:{user.pk}:{day}",
            )
            if created:
                event_record(
                    action=UNASSIGNED_ALERT,
                    actor=user,
                    object_type="user",
                    object_id=user.pk,
                    data={"count": row["records"]},
                )
                told += 1
    return told
