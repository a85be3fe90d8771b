from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from birge.agencies.capabilities import CAPABILITIES
from birge.agencies.models import Agency, Region, Role, User


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["code", "name_az", "name_ru", "name_en", "kind", "region", "is_active"]
        help_texts = {"code": _("Short, unique, latin letters, digits and hyphens.")}


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids beyond 64 bits itself: SQLite raises OverflowError on them in `pk__in`."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # not a number: the field itself says so
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name_az", "name_ru", "name_en"]


class UserForm(forms.ModelForm):
    roles = RoleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
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
    reason = forms.CharField(
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
