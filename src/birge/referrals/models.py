"""Referrals: one agency asks another to act for a victim, within the time the
co-operation protocol promises. Every change is audited; deadlines are first-class."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.privacy.fields import EncryptedTextField


class Referral(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "agencies.Service", on_delete=models.PROTECT, related_name="referrals"
    )
    # The protocol in force when it was sent, and the pathway whose promise sets due_at.
    protocol_version = models.ForeignKey(
        "agencies.ProtocolVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pathway = models.CharField(max_length=60, blank=True)
    # What she needs, in the referrer's words; the receiving agency reads it, not asks her.
    summary = EncryptedTextField(_("what she needs"), blank=True)
    # The latest risk assessment when it was sent, so that nobody asks her again.
    risk_assessment = models.ForeignKey(
        "risk.RiskAssessment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Deadline follow-up: when the reminder and each escalation step went out.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_national_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-id"]),
            models.Index(fields=["status", "due_at"]),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral {self.pk} of case {self.case_id}"
