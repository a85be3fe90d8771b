from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import translation
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

    REQUIRED_FIELDS = ["email", "agency"]

    objects = BirgeUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
