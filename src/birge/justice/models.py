"""The justice side of the shared case: protection orders and their breaches, criminal and
administrative proceedings, and perpetrator programmes (Istanbul Convention Art. 16).

An order's type (who may issue it, how long it may last, what it may impose) is data: the
law sets it and changes it (`birge.justice.order_types`). Places a perpetrator must keep
away from, notes and sentences are encrypted at rest like every text about a case."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.privacy.fields import EncryptedTextField


class ProtectionOrder(models.Model):
    """One protection order (or the application for one) against one perpetrator of a
    case. `order_type` is a code of the order-types file in force."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied for")
        REFUSED = "refused", _("Refused")
        ISSUED = "issued", _("Issued, not yet served")
        IN_FORCE = "in_force", _("Served and in force")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    class Applicant(models.TextChoices):
        VICTIM = "victim", _("The victim")
        EXECUTIVE_AUTHORITY = "executive_authority", _("The local executive authority")
        PROSECUTOR = "prosecutor", _("The prosecutor")
        POLICE = "police", _("The police")
        OWN_MOTION = "own_motion", _("The issuing authority on its own motion")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="protection_orders"
    )
    perpetrator = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="protection_orders",
        verbose_name=_("perpetrator"),
    )
    order_type = models.CharField(_("type of order"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    applicant = models.CharField(
        _("applied for by"), max_length=20, choices=Applicant.choices, blank=True
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    # The agency that issues (or was asked to issue) it: a local executive authority or a
    # court, as the order type allows.
    issuing_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing authority"),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True, db_index=True)
    # Condition codes of the order type: no_contact, keep_away, leave_home, …
    conditions = models.JSONField(_("conditions"), default=list)
    # The places he must keep away from, in the issuer's words.
    places = EncryptedTextField(_("places to keep away from"), blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The short-term order a long-term one follows, or the order an extension replaces.
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followed_by"
    )
    # The expiry reminder is sent once per order.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("protection order")
        verbose_name_plural = _("protection orders")
        indexes = [models.Index(fields=["status", "ends_on"], name="order_status_ends")]

    def __str__(self) -> str:
        return f"protection order {self.pk} of case {self.case_id}"


class OrderEvent(models.Model):
    """A step in an order's life, kept: applied, refused, issued, served, extended,
    varied, revoked, expired, breached."""

    class Kind(models.TextChoices):
        APPLIED = "applied", _("Applied for")
        REFUSED = "refused", _("Refused")
        ISSUED = "issued", _("Issued")
        SERVED = "served", _("Served on the perpetrator")
        EXTENDED = "extended", _("Extended")
        VARIED = "varied", _("Varied")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        BREACHED = "breached", _("Breached")

    order = models.ForeignKey(ProtectionOrder, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what happened"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The dates and conditions after the step (extended, varied).
    ends_on = models.DateField(null=True, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.kind} of order {self.order_id}"


class OrderBreach(models.Model):
    """A breach of an order. What happened is an incident of the case (typed once); the
    breach links the two and records what the authorities did about it."""

    class Sanction(models.TextChoices):
        PENDING = "pending", _("No sanction yet")
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Administrative fine")
        DETENTION = "detention", _("Administrative detention")
        CRIMINAL = "criminal", _("Criminal proceedings opened")
        NONE = "none", _("No sanction")

    order = models.ForeignKey(ProtectionOrder, on_delete=models.PROTECT, related_name="breaches")
    incident = models.OneToOneField(
        "cases.Incident", on_delete=models.PROTECT, related_name="order_breach"
    )
    sanction = models.CharField(
        _("sanction"), max_length=10, choices=Sanction.choices, default=Sanction.PENDING
    )
    sanctioned_on = models.DateField(_("sanctioned on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("breach of an order")
        verbose_name_plural = _("breaches of orders")

    def __str__(self) -> str:
        return f"breach {self.pk} of order {self.order_id}"


class Proceeding(models.Model):
    """Criminal or administrative proceedings against one perpetrator, usually about one
    incident. The victim's coordinator sees the stage; the details stay with the justice
    agencies unless consent or the conference shares them."""

    class Kind(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal")
        ADMINISTRATIVE = "administrative", _("Administrative")

    class Stage(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        INVESTIGATION = "investigation", _("Investigation")
        CHARGE = "charge", _("Charge")
        TRIAL = "trial", _("Trial")
        OUTCOME = "outcome", _("Decided")

    class Outcome(models.TextChoices):
        CONVICTION = "conviction", _("Conviction")
        ACQUITTAL = "acquittal", _("Acquittal")
        DISMISSAL = "dismissal", _("Dismissed")
        RECONCILIATION = "reconciliation", _("Ended by reconciliation")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="proceedings")
    perpetrator = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="proceedings"
    )
    incident = models.ForeignKey(
        "cases.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.COMPLAINT
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    # The sentence or penalty, in the court's words.
    sentence = EncryptedTextField(_("sentence or penalty"), blank=True)
    # The justice agency that holds the file (police, prosecution or court).
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    opened_on = models.DateField(_("complaint made on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")

    def __str__(self) -> str:
        return f"proceeding {self.pk} of case {self.case_id}"


class ProceedingStage(models.Model):
    """When each stage of a proceeding began, kept."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="stages")
    stage = models.CharField(_("stage"), max_length=14, choices=Proceeding.Stage.choices)
    began_on = models.DateField(_("began on"))
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["began_on", "id"]
        verbose_name = _("stage of a proceeding")
        verbose_name_plural = _("stages of proceedings")
        # A stage begins once: a second request for it is refused, not recorded twice.
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "stage"], name="proceeding_stage_once")
        ]

    def __str__(self) -> str:
        return f"{self.stage} of proceeding {self.proceeding_id}"


class ProgrammeReferral(models.Model):
    """A perpetrator referred to a programme (Istanbul Convention Art. 16): attendance,
    completion or drop-out, reported back to the case's circle."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ATTENDING = "attending", _("Attending")
        COMPLETED = "completed", _("Completed")
        DROPPED_OUT = "dropped_out", _("Dropped out")
        DECLINED = "declined", _("Did not start")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="programme_referrals"
    )
    perpetrator = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="programme_referrals"
    )
    # The agency that runs the programme.
    provider = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("programme")
    )
    # Ordered by a court (a condition of an order or a sentence) or referred voluntarily.
    mandated = models.BooleanField(_("ordered by a court"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REFERRED
    )
    referred_on = models.DateField(_("referred on"))
    sessions_planned = models.PositiveSmallIntegerField(
        _("sessions planned"), null=True, blank=True
    )
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"), default=0)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("programme referral")
        verbose_name_plural = _("programme referrals")

    def __str__(self) -> str:
        return f"programme referral {self.pk} of case {self.case_id}"
