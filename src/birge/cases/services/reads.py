"""Reads leave a trace: every view of a case, and alerts for unusual reading."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from birge.agencies.selectors import users_with_capability
from birge.audit.models import AuditEvent
from birge.audit.services import event_record
from birge.cases.models import Case
from birge.notifications.services import notify

CHANNELS = ("page", "api", "print", "export")


def case_view_record(*, user, case: Case, channel: str = "page") -> None:
    """Record that the user saw the case; alert auditors when she reads unusually many
    cases she is not assigned to (neither coordinator nor the person who opened it)."""
    assigned = user.pk in (case.coordinator_id, case.created_by_id)
    with transaction.atomic():
        event_record(
            action="case.viewed",
            actor=user,
            object_type="case",
            object_id=case.pk,
            data={"channel": channel, "assigned": assigned},
        )
        if not assigned:
            _check_unassigned_reading(user)


def _check_unassigned_reading(user) -> None:
    window = timedelta(hours=settings.BIRGE_UNASSIGNED_VIEWS_HOURS)
    since = timezone.now() - window
    count = (
        AuditEvent.objects.filter(
            actor=user, action="case.viewed", occurred_at__gte=since, data__assigned=False
        )
        .values("object_id")
        .distinct()
        .count()
    )
    if count <= settings.BIRGE_UNASSIGNED_VIEWS_ALERT:
        return
    day = timezone.localdate().isoformat()
    created = notify(
        recipients=users_with_capability("audit.read"),
        kind="audit.unassigned_views",
        params={"count": count, "hours": settings.BIRGE_UNASSIGNED_VIEWS_HOURS},
        url=f"/audit/?actor={user.username}&action=case.viewed",
        dedupe_key=f"unassigned:{user.pk}:{day}",
    )
    if created:
        event_record(
            action="audit.alert.unassigned_views",
            actor=user,
            object_type="user",
            object_id=user.pk,
            data={"count": count},
        )


def case_conflict_attempt_record(*, user, case: Case) -> None:
    """She tried to open a case of a person she declared a relation to."""
    with transaction.atomic():
        event_record(
            action="case.conflict_attempt", actor=user, object_type="case", object_id=case.pk
        )
        notify(
            recipients=users_with_capability("audit.read"),
            kind="audit.conflict_attempt",
            params={"reference": case.reference},
            url=f"/audit/?object_type=case&object_id={case.pk}",
            dedupe_key=f"conflict:{user.pk}:{case.pk}:{timezone.localdate().isoformat()}",
        )
