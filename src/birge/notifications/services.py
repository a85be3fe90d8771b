"""Raising notifications. Written in the caller's transaction; once per event and person.

A notification may also go out by email, after the transaction commits. The email says
only that something waits in Birge and links to the inbox: never the kind's text, a
case reference, or anything about a victim or a perpetrator, because email leaves Birge.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from birge.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: dict | None = None,
    url: str = "",
    dedupe_key: str | None = None,
) -> int:
    """Notify each recipient once. Returns how many notifications were created."""
    people = {r.pk: r for r in recipients}
    if dedupe_key is not None and people:
        # Those already told of this event: one read, rather than one refused insert each
        # (an escalation raised again the same day reaches the same people).
        told = Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=people)
        for pk in told.values_list("recipient_id", flat=True):
            del people[pk]
    if not people:
        return 0
    no_email = set(
        NotificationPreference.objects.filter(user_id__in=people, email=False).values_list(
            "user_id", flat=True
        )
    )
    created = 0
    for recipient in people.values():
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
            continue
        if recipient.email and recipient.pk not in no_email:
            _email_after_commit(recipient)
    return created


def _email_after_commit(recipient) -> None:
    address = recipient.email
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: notification_email_send(address=address, language=language))


def inbox_link() -> str:
    """The inbox's address for an email: BIRGE_BASE_URL, or the first allowed host."""
    base = getattr(settings, "BIRGE_BASE_URL", "")
    if not base:
        scheme = "https" if getattr(settings, "BIRGE_HTTPS", True) else "http"
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        base = f"{scheme}://{host.lstrip('.')}"
    return base.rstrip("/") + reverse("notifications:inbox")


def notification_email_send(*, address: str, language: str) -> None:
    """The email that something waits in Birge. A failed send is logged without the
    address or the error's text, and the notification stays in the inbox."""
    with translation.override(language):
        context = {"link": inbox_link()}
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except Exception as error:  # the change has committed: log, and the inbox still has it
        logger.warning("notification email not sent: %s", type(error).__name__)


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the user as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def notification_preference_get(*, user) -> NotificationPreference:
    """The user's preferences; unsaved defaults (email on) when she has set none."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def notification_preference_set(*, user, email: bool) -> NotificationPreference:
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            user=user, defaults={"email": email}
        )
    return preference
