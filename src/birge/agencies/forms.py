from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from birge.agencies.capabilities import CAPABILITIES
from birge.agencies.directory import MAX_CAPACITY
from birge.agencies.models import Agency, Region, Role, Service, ServiceKind, User
from birge.agencies.protocol import protocol_from_yaml
from birge.privacy.ids import IdsChoiceField
from birge.web.forms import TextField, text_formfield


class AgencyForm(forms.ModelForm):
    class Meta:
        formfield_callback = text_formfield  # text fields as LineField / TextField
        model = Agency
        fields = ["code", "name_az", "name_ru", "name_en", "kind", "region", "is_active"]
        help_texts = {"code": _("Short, unique, latin letters, digits and hyphens.")}


class RegionForm(forms.ModelForm):
    class Meta:
        formfield_callback = text_formfield  # text fields as LineField / TextField
        model = Region
        fields = ["code", "name_az", "name_ru", "name_en"]


class UserForm(forms.ModelForm):
    roles = IdsChoiceField(
        label=_("Roles"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        formfield_callback = text_formfield  # text fields as LineField / TextField
        model = User
        fields = ["username", "first_name", "last_name", "email", "agency"]
        help_texts = {"username": _("Latin letters, digits and . _ - only; used to sign in.")}

    def __init__(self, *args, agencies, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["roles"].queryset = roles
        self.fields["roles"].label_from_instance = lambda role: role.name
        self.fields["email"].required = True
        self.fields["email"].help_text = _("A link to choose a password is sent here.")
        if self.instance.pk:
            del self.fields["username"]
            del self.fields["agency"]
            self.fields["roles"].initial = self.instance.roles.filter(pk__in=roles)
        elif agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why; the reason is kept in the audit log.")},
    )


class RoleForm(forms.Form):
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"),
        choices=[(code, label) for code, label in CAPABILITIES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


# --- Service directory and co-operation protocol ----------------------------------------


class ServiceForm(forms.ModelForm):
    regions = IdsChoiceField(
        label=_("Regions covered"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one region the service covers.")},
    )

    class Meta:
        formfield_callback = text_formfield  # text fields as LineField / TextField
        model = Service
        fields = [
            "agency",
            "kind",
            "name_az",
            "name_ru",
            "name_en",
            "regions",
            "contact",
            "hours",
            "languages",
            "is_active",
        ]
        help_texts = {
            "contact": _("The service desk: a phone number or an office, not a person's own."),
            "hours": _("For example: Mon–Fri 9:00–18:00; around the clock."),
            "languages": _("For example: az, ru, en."),
        }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].label_from_instance = lambda region: region.name
        if self.instance.pk or agencies.count() == 1:
            # A lead's services are her agency's; a service never moves to another agency.
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies


class ServiceFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of service"), required=False, choices=[("", _("All"))])
    region = forms.ChoiceField(label=_("Region"), required=False, choices=[("", _("All"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *ServiceKind.choices]
        self.fields["region"].choices = [
            ("", _("All")),
            *((region.code, region.name) for region in Region.objects.all()),
        ]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Free places now"),
        min_value=0,
        max_value=MAX_CAPACITY,
        error_messages={
            "required": _("Enter the number of free places."),
            "invalid": _("Enter the number of free places as a whole number, such as 3."),
            "min_value": _("Free places cannot be fewer than 0."),
            "max_value": _("Free places can be at most %(limit_value)s."),
        },
    )


class ProtocolDraftForm(forms.Form):
    content = TextField(
        label=_("The protocol (YAML)"),
        max_length=100_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Every text in az, ru and en; each pathway with an id, a situation, a service "
            "kind and the response time in hours."
        ),
    )
    note = TextField(
        label=_("What changes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_content(self) -> dict:
        content, errors = protocol_from_yaml(self.cleaned_data["content"])
        if errors:
            raise ValidationError(errors)
        return content
