"""Raising notifications. Written in the caller's transaction; once per event and person.

A notification may also go out by email: the `notification_emails` job (every 30 s)
sends each person with something new one email, never from the request that raised it
(a slow or absent mail server must not slow or fail a police officer's save). The email
says only that something waits in Birge and links to the inbox: never the kind's text, a
case reference, or anything about a victim or a perpetrator, because email leaves Birge.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
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
                    email_due=bool(recipient.email),
                )
            created += 1
        except IntegrityError:
            if dedupe_key is None:
                raise
    return created


def inbox_link() -> str:
    """The inbox's address for an email: BIRGE_BASE_URL, or the first allowed host."""
    base = getattr(settings, "BIRGE_BASE_URL", "")
    if not base:
        scheme = "https" if getattr(settings, "BIRGE_HTTPS", True) else "http"
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
        base = f"{scheme}://{host.lstrip('.')}"
    return base.rstrip("/") + reverse("notifications:inbox")


def notification_emails_send(*, batch: int = 200) -> int:
    """Tell by email each person with notifications waiting for an email: one email per
    person however many there are, and none when she has read them meanwhile, turned
    emails off, has no address or is no longer active. Returns how many emails went.

    Safe to run twice at once (rows locked, skip-locked). A failed send is logged without
    the address or the error's text; her notifications stay due and the next pass tries
    again (this pass stops: the mail server is likely down for everyone)."""
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(email_due=True)
                .order_by("id")
                .values_list("id", "recipient_id", "read_at")[:batch]
            )
            if not due:
                return sent
            unread = {recipient for _, recipient, read_at in due if read_at is None}
            wanted = {
                pk: (address, language or settings.LANGUAGE_CODE)
                for pk, address, language in get_user_model()
                .objects.filter(pk__in=unread, is_active=True)
                .exclude(email="")
                .exclude(notification_preference__email=False)
                .values_list("pk", "email", "language")
            }
            told: set[int] = set()
            failed = False
            for person, (address, language) in sorted(wanted.items()):
                if not _email_send(address=address, language=language):
                    failed = True
                    break
                told.add(person)
            sent += len(told)
            # Done: whoever was told, and whoever gets no email; not those still waiting.
            Notification.objects.filter(
                pk__in=[pk for pk, r, _ in due if r in told or r not in wanted]
            ).update(email_due=False)
            if failed:
                return sent


def _email_send(*, address: str, language: str) -> bool:
    """The email that something waits in Birge. False when the mail server refused it."""
    with translation.override(language):
        context = {"link": inbox_link()}
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except Exception as error:  # logged without the address or the error's text
        logger.warning("notification email not sent: %s", type(error).__name__)
        return False
    return True


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
