"""Reading the audit log (auditors only; the caller checks `audit.read`)."""

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from birge.audit.models import AuditEvent, EventReason


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
    # Days in the local time the log shows (Baku); before 2 January of year 1 there is
    # nothing to leave out, and the start of that day in UTC would be in year 0.
    here = timezone.get_current_timezone()
    if since and since > date.min:
        events = events.filter(occurred_at__gte=datetime.combine(since, time.min, here))
    if until:
        events = events.filter(occurred_at__lte=datetime.combine(until, time.max, here))
    return events


def events_with_reasons(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events, each with `reason_text`: the reason its author wrote (read in one query
    from where reasons are kept), or "" — after the case was anonymised too."""
    events = list(events)
    ids = {e.data.get("reason") for e in events if isinstance(e.data, dict)} - {None}
    texts = {r.pk: r.text for r in EventReason.objects.filter(pk__in=ids)} if ids else {}
    for event in events:
        pointer = event.data.get("reason") if isinstance(event.data, dict) else None
        event.reason_text = texts.get(pointer, "") if pointer else event.reason  # type: ignore[attr-defined]
    return events


def event_reason(event: AuditEvent) -> str:
    """The reason written for one event (see `events_with_reasons`)."""
    return str(events_with_reasons([event])[0].reason_text)  # type: ignore[attr-defined]
