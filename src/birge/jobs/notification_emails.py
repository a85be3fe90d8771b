"""Tell people by email that something waits for them in Birge: one email per person per
pass, sent here rather than from the request that raised the notification."""

from datetime import datetime

from birge.notifications.services import notification_emails_send


def notification_emails(now: datetime | None = None) -> int:
    return notification_emails_send()
