from collections.abc import Iterable

from django.db.models import QuerySet

from birge.agencies.models import Agency
from birge.notifications.kinds import notification_text
from birge.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    """Her notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-id")


def unread_notifications(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_with_text(notifications: Iterable[Notification]) -> list[tuple]:
    """Each notification with its text in the reader's language (the agencies it names
    read in one query)."""
    notifications = list(notifications)
    agency_ids = {n.params.get("agency_id") for n in notifications if isinstance(n.params, dict)}
    agencies = Agency.objects.in_bulk([a for a in agency_ids if isinstance(a, int)])
    return [(n, notification_text(n.kind, n.params, agencies)) for n in notifications]
