"""Risk instruments (versions of data files) and the assessments made with them.

An assessment keeps the instrument version and the raw answers, so its level can always
be recomputed and explained; once submitted it never changes (a correction is a new
assessment linked to the old one). A level set by professional judgement alone is an
assessment too, with no instrument, no answers and no score, only the level and its
written reason: every level a case ever had comes from a record.
"""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from birge.cases.models import RiskLevel
from birge.privacy.fields import EncryptedTextField
from birge.risk.engine import INCOMPLETE_CODES


@lru_cache(maxsize=64)
def _instrument_parsed(sha256: str, source: str, file: str):
    from birge.risk.engine import instrument_load

    return instrument_load(source, file=file)


class InstrumentVersion(models.Model):
    instrument_id = models.SlugField(_("instrument"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    # The canonical JSON of the instrument file, exactly as the engine validated it.
    source = models.TextField()
    sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(_("used for new assessments"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["instrument_id", "-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_id", "version"], name="instrument_version_once"
            )
        ]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.version}"

    @property
    def instrument(self):
        # A version never changes, so its parsed form is shared by every row that names
        # it: a case page with many assessments parses each version once per process.
        return _instrument_parsed(self.sha256, self.source, f"{self.instrument_id} v{self.version}")

    @property
    def readable_instrument(self):
        """The parsed instrument, or None when its stored source no longer parses (an
        instrument stored by hand or by an older engine): pages then show the stored
        level with a notice (UNREADABLE_NOTICE) rather than fail."""
        from birge.risk.engine import InstrumentError

        try:
            return self.instrument
        except InstrumentError:
            return None

    @property
    def name(self) -> str:
        instrument = self.readable_instrument
        if instrument is None:
            return str(self)
        language = (translation.get_language() or "az")[:2]
        return instrument.names.get(language) or instrument.names["az"]


UNREADABLE_NOTICE = _(
    "This assessment's instrument version can no longer be read; its stored level is shown."
)


class RiskAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Waiting for a second opinion")
        SUBMITTED = "submitted", _("Submitted")
        # A later assessment was submitted while this one waited: its lower level can no
        # longer be approved (the later one decides).
        SUPERSEDED = "superseded", _("Superseded by a later assessment")

    class Fear(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked")
        NOT_AFRAID = "not_afraid", _("She is not afraid")
        AFRAID = "afraid", _("She is afraid")
        VERY_AFRAID = "very_afraid", _("She is very afraid for her life")
        CHILD_LIFE = "child_life", _("She is very afraid for a child's life")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assessments")
    # None: the level was set by professional judgement alone.
    instrument_version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        null=True,
        blank=True,
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Raw answers, {item id: "yes" | "no" | "unknown" | "declined"}; codes only.
    answers = models.JSONField(default=dict, blank=True)
    victim_fear = models.CharField(
        _("her own view of the danger"), max_length=12, choices=Fear.choices, default=Fear.NOT_ASKED
    )
    victim_view = EncryptedTextField(_("in her words"), blank=True)
    score = models.FloatField(null=True, blank=True)
    computed_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    # The rules that fired: [[code, {params}], …], as the engine gave them.
    reasons = models.JSONField(default=list, blank=True)
    final_level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices, blank=True)
    judgement_reason = EncryptedTextField(_("reason for the professional judgement"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["case", "status", "-submitted_at"])]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"assessment {self.pk} of case {self.case_id}"

    @property
    def is_judgement(self) -> bool:
        """Set by professional judgement alone, without an instrument."""
        return self.instrument_version_id is None

    @property
    def is_incomplete(self) -> bool:
        """Its instrument's `incomplete` rule fired: the answers cannot support a level on
        their own, and only a professional judgement with a written reason settles it."""
        return any(code in INCOMPLETE_CODES for code, _params in self.reasons)

    @property
    def method_name(self) -> str:
        """The instrument's name in the reader's language, or "Professional judgement"."""
        if self.instrument_version_id is None:
            return str(_("Professional judgement"))
        return self.instrument_version.name
