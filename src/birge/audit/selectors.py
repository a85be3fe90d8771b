"""Reading the audit log (auditors only; the caller checks `audit.read`)."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from birge.audit.models import AuditEvent


def event_list(
    *,
    action: str = "",
    actor: str = "",
    agency_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "agency").order_by("-id")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor__username=actor)
    if agency_id:
        events = events.filter(agency_id=agency_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(occurred_at__gte=datetime.combine(since, time.min, zone))
    if until:
        events = events.filter(occurred_at__lte=datetime.combine(until, time.max, zone))
    return events
