"""The forms of proceedings and perpetrator programmes. They read the input; the rules
(order of stages, dates, outcomes) are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.cases.models import Incident
from birge.justice.models import Proceeding, ProgrammeReferral
from birge.justice.services.proceedings import TEXT_MAX_LENGTH
from birge.justice.services.programmes import ENDINGS, MAX_SESSIONS
from birge.web.forms import TextField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PerpetratorField(forms.ModelChoiceField):
    def label_from_instance(self, part) -> str:
        return part.person.full_name


class IncidentField(forms.ModelChoiceField):
    def label_from_instance(self, incident: Incident) -> str:
        return _("Incident of %(day)s") % {"day": incident.occurred_on.isoformat()}


class ProceedingForm(forms.Form):
    perpetrator = PerpetratorField(label=_("Against"), queryset=None, empty_label=None)
    incident = IncidentField(
        label=_("About the incident"), queryset=None, required=False, empty_label=_("none named")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Proceeding.Kind.choices)
    opened_on = forms.DateField(
        label=_("Complaint made on"), widget=DATE, initial=timezone.localdate
    )
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seen by the justice agencies only, unless consent or the conference shares it."
        ),
    )

    def __init__(self, *args, perpetrators, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator"].queryset = perpetrators
        self.fields["incident"].queryset = incidents


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Proceeding.Stage.choices[1:])
    began_on = forms.DateField(label=_("Began on"), widget=DATE, initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("— at the outcome stage only —")), *Proceeding.Outcome.choices],
        required=False,
    )
    sentence = TextField(
        label=_("Sentence or penalty"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ProviderField(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return agency.name


class ProgrammeForm(forms.Form):
    perpetrator = PerpetratorField(label=_("Who"), queryset=None, empty_label=None)
    provider = ProviderField(label=_("Programme of"), queryset=None)
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE, initial=timezone.localdate)
    mandated = forms.BooleanField(label=_("Ordered by a court"), required=False)
    sessions_planned = forms.IntegerField(
        label=_("Sessions planned"), required=False, min_value=0, max_value=MAX_SESSIONS
    )
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, perpetrators, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator"].queryset = perpetrators
        self.fields["provider"].queryset = providers


class AttendanceForm(forms.Form):
    sessions_attended = forms.IntegerField(
        label=_("Sessions attended so far"), min_value=0, max_value=MAX_SESSIONS
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ProgrammeEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How it ended"),
        choices=[(c, label) for c, label in ProgrammeReferral.Status.choices if c in ENDINGS],
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, initial=timezone.localdate)
    sessions_attended = forms.IntegerField(
        label=_("Sessions attended"), required=False, min_value=0, max_value=MAX_SESSIONS
    )
    note = TextField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
