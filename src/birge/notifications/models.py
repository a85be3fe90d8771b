from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something waiting for a person in Birge. Never carries personal data itself:
    only a kind, identifiers (case references, counts) and a link inside Birge."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The same event notifies a person once, however often the code that raises it runs.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)  # noqa: DJ001 - NULL: no key
    # Waiting for the `notification_emails` job to tell her by email that something waits
    # (whether she gets one — an address, her preference — is decided when it runs).
    email_due = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["id"], condition=Q(email_due=True), name="notification_email_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_event"
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How a person wants to hear that something waits for her in Birge."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("also tell me by email"), default=True)

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"
