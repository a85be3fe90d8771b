from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.agencies.models import Agency
from birge.web.forms import LineField


class EventFilterForm(forms.Form):
    action = LineField(label=_("Action starts with"), max_length=80, required=False)
    actor = LineField(label=_("Username"), max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.all(), required=False
    )
    object_type = LineField(label=_("Object type"), max_length=60, required=False)
    object_id = LineField(label=_("Object id"), max_length=64, required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
