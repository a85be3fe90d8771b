"""One shared record per victim: the case, its people, incidents, consent and circle.

Names, dates of birth, phones, addresses, places and narratives are encrypted at rest
(birge.privacy.fields); people are found again through keyed blind indexes (PersonIndex),
never through plaintext. Whether a person may see any of it is decided in birge.access.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.privacy.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from birge.web.text import visible_only

REFERENCE_PREFIX = "BRG"


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        RETIRED = "retired", _("Retired")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Indexed by (owning_agency, -id) and (coordinator, -id) below, for their lists.
    owning_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owning agency"),
        db_index=False,
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("coordinator"),
        db_index=False,
    )
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True, default=""
    )
    # When the next risk assessment is due (set by the level; "now" on escalation).
    reassessment_due_at = models.DateTimeField(_("reassessment due"), null=True, blank=True)
    # High or critical risk puts the case in the queue of the multi-agency risk conference.
    conference_queued_at = models.DateTimeField(
        _("queued for the risk conference"), null=True, blank=True
    )
    sealed = models.BooleanField(_("sealed"), default=False)
    # Often names who the perpetrator is ("works in the district police"): encrypted.
    sealed_reason = EncryptedTextField(_("reason for sealing"), blank=True)
    # Optimistic concurrency: every change increments it; a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owning_agency", "-id"]),
            models.Index(fields=["coordinator", "-id"]),
            models.Index(fields=["status", "-id"]),
            # Reassessments due: "My work", its header count and the reassessment job
            # read only the open cases whose date is near, never every case.
            models.Index(
                fields=["reassessment_due_at"],
                name="case_reassessment_due_open",
                condition=models.Q(status="open"),
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """BRG-2026-000123: the year it was opened and its number, never a name."""
        year = self.opened_at.year if self.opened_at else 0
        return f"{REFERENCE_PREFIX}-{year}-{self.pk:06d}"

    @staticmethod
    def id_from_reference(text: str) -> int | None:
        parts = text.strip().upper().split("-")
        number = parts[2] if len(parts) == 3 else ""
        if (
            parts[0] == REFERENCE_PREFIX
            and number.isascii()
            and number.isdigit()
            and len(number) <= 18
        ):
            return int(parts[2])
        return None


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Not known")

    first_name = EncryptedCharField(_("first name"), max_length=100)
    last_name = EncryptedCharField(_("last name"), max_length=100, blank=True)
    patronymic = EncryptedCharField(_("patronymic"), max_length=100, blank=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Kept in plain digits: an age alone identifies nobody, and statistics need it.
    approximate_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    address = EncryptedTextField(_("current address"), blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True)
    registered_by_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.pk}"

    @property
    def full_name(self) -> str:
        """Her names as shown, without any invisible or direction-changing character (a
        name stored before those were refused cannot pose as something else)."""
        names = (self.last_name, self.first_name, self.patronymic)
        return visible_only(" ".join(p for p in names if p))


class PersonIndex(models.Model):
    """Keyed blind indexes of a person: HMAC digests of name skeletons with birth date or
    phone. Equal digests mean "probably the same person" without storing the name."""

    class Purpose(models.TextChoices):
        NAME = "name"
        NAME_BIRTH = "name_birth"
        NAME_PHONE = "name_phone"
        LAST_NAME = "last_name"
        # The first name alone: only for the case list's search, never for a match.
        FIRST_NAME = "first_name"
        # First name, surname without its gendered ending, birth date: only ever a
        # *possible* match, for a coordinator to confirm (birge.cases.identity).
        STEM_BIRTH = "stem_birth"

    # The unique (person, purpose, digest) constraint indexes person already.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="indexes", db_index=False
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["digest", "purpose"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "digest"], name="person_index_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} of person {self.person_id}"


class IdentityDecision(models.Model):
    """A coordinator's answer to a possible match (a surname that differs only in its
    gendered ending, with the same first name and date of birth): the same person, or
    not. Either way it is not offered again; "the same" then counts as a match."""

    class Answer(models.TextChoices):
        SAME = "same", _("The same person")
        DIFFERENT = "different", _("Not the same person")

    # The pair in order (person id < other id), so that it is decided once.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    # The case on whose page it was decided.
    case = models.ForeignKey("Case", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="identity_decision_once"),
            models.CheckConstraint(
                condition=models.Q(person__lt=models.F("other")),
                name="identity_decision_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer}: persons {self.person_id} and {self.other_id}"


class Part(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Perpetrator")
    CHILD = "child", _("Child")
    OTHER = "other", pgettext_lazy("person", "Other")


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    FORMER_SPOUSE = "former_spouse", _("Former spouse")
    PARTNER = "partner", _("Partner")
    FORMER_PARTNER = "former_partner", _("Former partner")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    IN_LAW = "in_law", _("In-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", pgettext_lazy("person", "Other")


class CasePerson(models.Model):
    """A person's part in one case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="parts")
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    # For a perpetrator (or another person): who she or he is to the victim.
    relationship = models.CharField(
        _("relationship to the victim"),
        max_length=20,
        choices=Relationship.choices,
        blank=True,
    )
    # Where the victim stays now when that is a shelter: coordinator's agency and
    # consented agencies only (the location scope of birge.access.fields).
    shelter_location = EncryptedTextField(_("shelter location"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "part"], name="case_person_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.part} in case {self.case_id}"


class ViolenceForm(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    SEXUAL = "sexual", _("Sexual")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    ECONOMIC = "economic", _("Economic")
    STALKING = "stalking", _("Stalking")
    FORCED_MARRIAGE = "forced_marriage", _("Forced or early marriage")
    HONOUR = "honour", _("Honour-based")
    DIGITAL = "digital", _("Digital")


class Incident(models.Model):
    class Weapon(models.TextChoices):
        NONE = "none", _("No weapon")
        THREATENED = "threatened", _("Weapon threatened")
        USED = "used", _("Weapon used")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField(_("date"))
    place = EncryptedTextField(_("place"), blank=True)
    forms = models.JSONField(_("forms of violence"), default=list)
    injuries = models.BooleanField(_("injuries"), default=False)
    weapon = models.CharField(_("weapon"), max_length=12, choices=Weapon.choices, default="none")
    children_present = models.BooleanField(_("children present"), default=False)
    children_witnessed = models.BooleanField(_("children witnessed it"), default=False)
    reporting_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporting agency"),
    )
    narrative = EncryptedTextField(_("what happened"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"incident {self.pk} of case {self.case_id}"


class Consent(models.Model):
    """What the victim agreed may be shared, with which agencies, until when."""

    SCOPES = ("case_record", "contact", "location", "health")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    # What may be shared: each scope is a field, so the policy can filter on it.
    share_case_record = models.BooleanField(_("the case record"), default=True)
    share_contact = models.BooleanField(_("contact details"), default=False)
    share_location = models.BooleanField(_("current address and shelter location"), default=False)
    share_health = models.BooleanField(_("health information"), default=False)
    agencies = models.ManyToManyField(
        "agencies.Agency", related_name="+", verbose_name=_("with which agencies")
    )
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent {self.pk} of case {self.case_id}"


class CircleMember(models.Model):
    """An agency in a case's circle, and the legal basis on which it joined."""

    class Route(models.TextChoices):
        OWNER = "owner", _("Opened the case")
        REFERRAL = "referral", _("Referral")
        CONFERENCE = "conference", _("Risk conference")
        SHARE = "share", _("Shared by the coordinator")

    class Basis(models.TextChoices):
        OWNER = "owner", _("Owning agency")
        CONSENT = "consent", _("Victim's consent")
        HIGH_RISK = "high_risk", _("High risk, without consent")
        CONFERENCE = "conference", _("Risk conference, for the purpose of the conference")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="circle")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("how it joined"), max_length=12, choices=Route.choices)
    basis = models.CharField(_("legal basis"), max_length=12, choices=Basis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True)
    # Why it joined without consent, or the conference's basis: may name people.
    reason = EncryptedTextField(_("reason"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]
        indexes = [
            models.Index(fields=["agency", "case"], name="circle_agency_case"),
            # Cases newly shared with an agency ("My work" and its header count).
            models.Index(fields=["agency", "added_at"], name="circle_agency_added"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=models.Q(removed_at__isnull=True),
                name="circle_member_once",
            )
        ]

    def __str__(self) -> str:
        return f"agency {self.agency_id} in case {self.case_id}"


class SealedAccess(models.Model):
    """On a sealed case, the named users who may still see it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sealed_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="sealed_access_once")]

    def __str__(self) -> str:
        return f"user {self.user_id} on sealed case {self.case_id}"


class ConflictDeclaration(models.Model):
    """A user's declaration that she or he is related to a person: cases involving that
    person are hidden from her or him. Kept as blind-index digests plus an encrypted
    label only the declaring user sees."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts"
    )
    label = EncryptedCharField(_("who"), max_length=200)
    # The names as given, so that the digest can be rebuilt when the skeleton changes.
    first_name = EncryptedCharField(max_length=100, blank=True)
    last_name = EncryptedCharField(max_length=100, blank=True)
    birth_date = EncryptedDateField(null=True, blank=True)
    digest = models.CharField(max_length=64, db_index=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"conflict {self.pk} of user {self.user_id}"


class EmergencyAccess(models.Model):
    """Time-limited access to a case outside the user's circle, with a written reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="emergency_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(_("review"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "case", "expires_at"])]

    def __str__(self) -> str:
        return f"emergency access {self.pk}"


class IdempotencyKey(models.Model):
    """A registration form posted twice with the same key returns the first case (pages;
    the API keeps whole answers in IdempotentRequest)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_once")]

    def __str__(self) -> str:
        return self.key


class IdempotentRequest(models.Model):
    """An API create sent with an Idempotency-Key header, and its answer: the same request
    repeated (a retry after a lost connection) gets the same answer and creates nothing
    twice (birge.cases.idempotency). The answer holds personal data, so it is encrypted
    and kept 24 hours (the `idempotency_expiry` job), or less when its case is forgotten."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # "POST /api/v1/cases/12/incidents/" and the SHA-256 of the body as parsed: the same
    # key with another route or body is a mistake of the client's, answered 422.
    route = models.CharField(max_length=300)
    body_sha256 = models.CharField(max_length=64)
    # The case the answer is about (the route's, or the case it created), when there is one.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.PositiveSmallIntegerField(null=True)
    # JSON: {"body": …, "headers": {…}} of the first answer.
    answer = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return f"idempotent request {self.pk}"
