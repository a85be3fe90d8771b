from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birge.agencies.models import Region, Service, ServiceKind
from birge.referrals.services import REASON_MAX_LENGTH, SUMMARY_MAX_LENGTH
from birge.web.forms import TextField
from birge.words.widgets import GuidedTextarea


class DirectoryFilterForm(forms.Form):
    """Narrow the directory: a kind of service, and the region it must cover."""

    kind = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("any")), *ServiceKind.choices],
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region covered"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("any"),
        to_field_name="code",
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, service: Service) -> str:
        label = f"{service.agency.name} — {service.name} ({service.get_kind_display()})"
        if service.capacity is not None:
            label += " · " + gettext("%(n)d free places") % {"n": service.capacity}
        return label


class ReferralForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Service"), queryset=Service.objects.none(), widget=forms.RadioSelect
    )
    summary = TextField(
        label=_("What she needs"),
        help_text=_(
            "The receiving agency reads this with her latest risk assessment, so that "
            "nobody asks her again."
        ),
        max_length=SUMMARY_MAX_LENGTH,
        widget=GuidedTextarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
