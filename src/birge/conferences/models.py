"""The multi-agency risk conference: a series per area, its queue of referred cases, its
meetings with their agenda, research, attendance, discussion and actions.

Names and what was said are encrypted at rest, as in the case record (birge.privacy).
Who may see any of it is decided in birge.conferences.selectors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.agencies.models import Translated
from birge.privacy.fields import EncryptedTextField


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    MONTHLY = "monthly", _("Monthly")


class ConferenceSeries(Translated):
    """The conference of one area (a region): who chairs it, which agencies sit in it, how
    often it meets, how many agencies make a quorum, and what each attendee accepts."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_series",
        verbose_name=_("chair"),
    )
    members = models.ManyToManyField(
        "agencies.Agency", related_name="conference_series", verbose_name=_("member agencies")
    )
    cadence = models.CharField(
        _("meets"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    quorum = models.PositiveSmallIntegerField(_("quorum (member agencies present)"), default=3)
    minutes_per_case = models.PositiveSmallIntegerField(_("minutes per case"), default=15)
    confidentiality_az = models.TextField(_("confidentiality statement (Azerbaijani)"))
    confidentiality_ru = models.TextField(_("confidentiality statement (Russian)"))
    confidentiality_en = models.TextField(_("confidentiality statement (English)"))
    # Recorded on the circle membership of each agency a discussion adds to a case.
    legal_basis = models.TextField(_("legal basis for sharing at the conference"))
    # For the figures: cases heard per 10,000 adult women living in the area.
    adult_women_population = models.PositiveIntegerField(
        _("adult women living in the area"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("conference series")
        verbose_name_plural = _("conference series")

    def confidentiality(self, language: str) -> str:
        return getattr(self, f"confidentiality_{language[:2]}", "") or self.confidentiality_az


class ConferenceReferral(models.Model):
    """A case in a series' queue, and then under its watch until the chair closes it."""

    class Criterion(models.TextChoices):
        RISK = "risk", _("High or critical risk from an assessment")
        JUDGEMENT = "judgement", _("Professional judgement")
        ESCALATION = "escalation", _("Potential escalation: repeated incidents")
        REPEAT = "repeat", _("Repeat: a new incident within 12 months of the last conference")
        BREACH = "breach", _("Breach of a protection order")

    class Status(models.TextChoices):
        QUEUED = "queued", _("In the queue")
        LISTED = "listed", _("On an agenda")
        HEARD = "heard", _("Heard; under the conference's watch")
        CLOSED = "closed", _("Closed by the conference")
        WITHDRAWN = "withdrawn", _("Taken out of the queue")

    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="conference_referrals"
    )
    criterion = models.CharField(_("criterion"), max_length=12, choices=Criterion.choices)
    # The referrer's written reason (professional judgement); what happened, otherwise.
    reason = EncryptedTextField(_("reason"), blank=True)
    # The case's latest assessment when it was referred: nobody assesses her twice.
    risk_assessment = models.ForeignKey(
        "risk.RiskAssessment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    risk_level = models.CharField(_("risk level"), max_length=10, blank=True)
    is_repeat = models.BooleanField(_("repeat case"), default=False)
    # The earlier hearing a repeat follows.
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referred_at = models.DateTimeField(_("referred"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    heard_at = models.DateTimeField(_("heard"), null=True, blank=True)
    heard_meeting = models.ForeignKey(
        "conferences.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_note = EncryptedTextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["series", "status"]),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "case"],
                condition=models.Q(status__in=["queued", "listed"]),
                name="conference_referral_waiting_once",
            )
        ]
        verbose_name = _("referral to the conference")
        verbose_name_plural = _("referrals to the conference")

    def __str__(self) -> str:
        return f"conference referral {self.pk} of case {self.case_id}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting", "Planned")
        IN_SESSION = "in_session", pgettext_lazy("meeting", "In session")
        CLOSED = "closed", pgettext_lazy("meeting", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")

    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agenda_sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    # Who accepted the statement, kept on the instance by birge.access.conferences'
    # meeting_attends (None or absent: not read yet).
    _birge_attendees: set[int] | None

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["series", "-starts_at"])]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"meeting {self.pk}"


class AgendaItem(models.Model):
    """One case on a meeting's agenda, and what the meeting said about it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet discussed")
        HEARD = "heard", _("Discussed")
        DEFERRED = "deferred", _("Deferred to a later meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    referral = models.ForeignKey(ConferenceReferral, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    victim_view = EncryptedTextField(_("the victim's view (through her coordinator)"), blank=True)
    risks = EncryptedTextField(_("risks identified"), blank=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    discussed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"item {self.position} of meeting {self.meeting_id}"


class Attendance(models.Model):
    """A person at a meeting, who accepted its confidentiality statement (every meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("accepted the confidentiality statement"))
    # Which text was accepted: its language and SHA-256, so a later edit is detectable.
    statement_language = models.CharField(max_length=8)
    statement_digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["accepted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"user {self.user_id} at meeting {self.meeting_id}"


class ResearchTopic(models.TextChoices):
    INCIDENTS = "incidents", _("Previous incidents and call-outs")
    ORDERS = "orders", _("Protection orders and proceedings")
    CHILDREN = "children", _("Children's services involvement")
    HEALTH = "health", _("Health contacts")
    OTHER = "other", _("Other relevant information")


class ResearchNote(models.Model):
    """What one member agency holds that is relevant to an agenda case: visible to that
    meeting's attendees (and its author) only."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="research")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=12, choices=ResearchTopic.choices)
    text = EncryptedTextField(_("what your agency holds"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "id"]
        verbose_name = _("research note")
        verbose_name_plural = _("research notes")

    def __str__(self) -> str:
        return f"research {self.pk} on item {self.item_id}"


class Concern(models.TextChoices):
    VICTIM = "victim", _("Protects the victim")
    CHILDREN = "children", _("Protects the children")
    OTHERS = "others", _("Protects others")
    PERPETRATOR = "perpetrator", _("Addresses the perpetrator")


class ConferenceAction(models.Model):
    """What one agency promised the conference to do for a case, by when, and for whom."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("conference action", "Open")
        DONE = "done", pgettext_lazy("conference action", "Done")
        CANCELLED = "cancelled", pgettext_lazy("conference action", "Cancelled")

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("action"))
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference_actions",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due"))
    concerns = models.JSONField(_("whom it protects or addresses"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)
    # Deadline follow-up, as for referrals: when the reminder and the escalation went out.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["series", "case"]),
        ]
        verbose_name = _("conference action")
        verbose_name_plural = _("conference actions")

    def __str__(self) -> str:
        return f"conference action {self.pk}"
