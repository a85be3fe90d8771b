"""Safety plans: one per victim in a case, its sections kept as immutable revisions, and
the actions agencies take on for it.

Everything a person writes in a plan is encrypted at rest (birge.privacy.fields). Who may
see a plan is who may see its case (birge.access.cases); changing it also needs the
`safety.plan` capability.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.privacy.fields import EncryptedTextField

# The plan's sections, in the order they are written, shown and printed.
SECTIONS = [
    ("contacts", _("Safe contacts and code words")),
    ("leaving", _("Leaving safely and documents to take")),
    ("children", _("Children")),
    ("digital", _("Digital safety")),
    ("work_school", _("Work or school")),
    ("protection_orders", _("Protection orders")),
    ("support_services", _("Support services")),
]
SECTION_NAMES = [name for name, _label in SECTIONS]
SECTION_MAX_LENGTH = 4000
ACTION_MAX_LENGTH = 1000


class SafetyPlan(models.Model):
    """The plan of one victim in one case; its content is its latest revision."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="safety_plans")
    victim = models.ForeignKey(
        "cases.CasePerson",
        on_delete=models.PROTECT,
        related_name="safety_plans",
        verbose_name=_("victim"),
    )
    # The language of her copy (print and PDF), not of the pages agencies read.
    language = models.CharField(_("language of her copy"), max_length=5, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every revision increments it; a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "victim"], name="safety_plan_once_per_victim")
        ]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"safety plan {self.pk} of case {self.case_id}"


class SafetyPlanRevision(models.Model):
    """The plan's sections as written at one time. Never changed: a change is a new one."""

    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.PROTECT, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField(_("revision"))
    contacts = EncryptedTextField(SECTIONS[0][1], blank=True)
    leaving = EncryptedTextField(SECTIONS[1][1], blank=True)
    children = EncryptedTextField(SECTIONS[2][1], blank=True)
    digital = EncryptedTextField(SECTIONS[3][1], blank=True)
    work_school = EncryptedTextField(SECTIONS[4][1], blank=True)
    protection_orders = EncryptedTextField(SECTIONS[5][1], blank=True)
    support_services = EncryptedTextField(SECTIONS[6][1], blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        # The unique (plan, number) constraint indexes plan already.
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="safety_revision_number_once")
        ]
        verbose_name = _("safety plan revision")
        verbose_name_plural = _("safety plan revisions")

    def __str__(self) -> str:
        return f"revision {self.number} of safety plan {self.plan_id}"

    def save(self, *args, **kwargs) -> None:
        # Revisions are the plan's history: a saved one is never rewritten.
        if not self._state.adding:
            raise ValueError("A safety plan revision is immutable; save a new revision.")
        super().save(*args, **kwargs)

    @property
    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SECTION_NAMES}


class SafetyAction(models.Model):
    """Something an agency has taken on for the plan, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("safety plan action", "Open")
        DONE = "done", pgettext_lazy("safety plan action", "Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="actions")
    text = EncryptedTextField(_("action"))
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("safety action")
        verbose_name_plural = _("safety actions")

    def __str__(self) -> str:
        return f"safety action {self.pk} of plan {self.plan_id}"
