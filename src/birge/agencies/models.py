from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Translated(models.Model):
    """A name kept in all three languages; `name` follows the active language."""

    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "az")[:2]
        return getattr(self, f"name_{language}", "") or self.name_az


class Region(Translated):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Agency(Translated):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        PROSECUTION = "prosecution", _("Prosecution")
        COURT = "court", _("Court")
        LOCAL_AUTHORITY = "local_authority", _("Local executive authority")
        SOCIAL_PROTECTION = "social_protection", _("Social protection")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education")
        COORDINATING_BODY = "coordinating_body", _("Coordinating body")
        OMBUDSPERSON = "ombudsperson", _("Ombudsperson")
        SHELTER_NGO = "shelter_ngo", _("Shelter / NGO")
        LEGAL_AID = "legal_aid", _("Legal aid")
        JUSTICE = "justice", _("Justice")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class Role(Translated):
    """A role is data: a name and the capabilities it grants."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    capabilities = models.JSONField(_("capabilities"), default=list)
    # Roles an agency lead may give to her own staff; administrator and auditor are not.
    assignable_by_agency_lead = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class BirgeUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `birge createsuperuser` asks for the agency's id and passes it on as given.
        agency = extra_fields.get("agency")
        if agency is not None and not isinstance(agency, Agency):
            extra_fields["agency"] = Agency.objects.get(pk=agency)
        user = super().create_superuser(username, email, password, **extra_fields)
        user.roles.add(*Role.objects.filter(code="administrator"))
        return user


class User(AbstractUser):
    """A person working in an agency. Never a victim or a perpetrator."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", verbose_name=_("agency")
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # Raised to end every session, API token and password link of hers for good
    # (birge.agencies.services.user_sessions_end): it is part of the hash each session
    # carries, so a session kept anywhere (database or cache) stops at its next request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    REQUIRED_FIELDS = ["email", "agency"]

    objects = BirgeUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=secret)

    def _session_hash(self, *, secret) -> str:
        """Django's hash of the password, with the session generation once it is raised
        (generation 0 gives Django's own hash, so sessions made before it existed go on)."""
        value = self.password
        if self.session_generation:
            value = f"{value}\x1f{self.session_generation}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ServiceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    MEDICAL = "medical", _("Medical care")
    SOCIAL_BENEFITS = "social_benefits", _("Social benefits and employment")
    HOUSING = "housing", _("Housing")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    PERPETRATOR_PROGRAMME = "perpetrator_programme", _("Perpetrator programme")
    POLICE_PROTECTION = "police_protection", _("Police protection")


class Service(Translated):
    """A service an agency offers, in the directory that referrals are sent to."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(_("kind"), max_length=30, choices=ServiceKind.choices)
    regions = models.ManyToManyField(Region, related_name="services", verbose_name=_("regions"))
    # Free places where capacity matters (a shelter); null where it does not.
    capacity = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(null=True, blank=True)
    contact = models.CharField(_("contact point"), max_length=300, blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__code", "kind"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


class ProtocolVersion(models.Model):
    """A version of the co-operation protocol, held as data (`content`, see
    birge.agencies.protocol for its shape): roles, referral pathways with the response
    time each agency promises, contact points and information-sharing rules. Agency
    leads propose; the coordinating body adopts; earlier versions stay readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    number = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(default=dict)
    note = models.TextField(_("what changes"), blank=True)
    created_by = models.ForeignKey(
        "agencies.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(
        "agencies.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("co-operation protocol version")
        verbose_name_plural = _("co-operation protocol versions")

    def __str__(self) -> str:
        return f"protocol v{self.number}"
