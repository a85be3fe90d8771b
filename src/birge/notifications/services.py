"""Raising notifications. Written in the caller's transaction; once per event and person."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from birge.notifications.models import Notification


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: dict | None = None,
    url: str = "",
    dedupe_key: str | None = None,
) -> int:
    """Notify each recipient once. Returns how many notifications were created."""
    created = 0
    for recipient in {r.pk: r for r in recipients}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    params=params or {},
                    url=url,
                    dedupe_key=dedupe_key,
                )
            created += 1
        except IntegrityError:
            if dedupe_key is None:
                raise
    return created


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the user as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
