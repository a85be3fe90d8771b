from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.agencies.models import Agency, Region, User
from birge.cases.models import (
    IdentityDecision,
    Incident,
    Person,
    Relationship,
    RiskLevel,
    ViolenceForm,
)
from birge.cases.validation import (
    OLDEST_AGE,
    validate_birth_date,
    validate_consent_dates,
    validate_incident_date,
)
from birge.privacy.blind_index import validate_phone
from birge.privacy.ids import IdsChoiceField
from birge.web.forms import LineField, PickList, TextField
from birge.words.widgets import GuidedTextarea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    first_name = LineField(label=_("First name"), max_length=100)
    last_name = LineField(label=_("Last name"), max_length=100, required=False)
    patronymic = LineField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE, validators=[validate_birth_date]
    )
    approximate_age = forms.IntegerField(
        label=_("Approximate age"),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
        help_text=_("If the date of birth is not known."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    phone = LineField(label=_("Phone"), max_length=40, required=False, validators=[validate_phone])
    languages = LineField(label=_("Languages she or he speaks"), max_length=60, required=False)


class VictimForm(PersonForm):
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.FEMALE)
    address = TextField(
        label=_("Current address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible only to the coordinator's agency and agencies she consented to."),
    )
    shelter_location = TextField(
        label=_("Shelter location"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible only to the coordinator's agency and agencies she consented to."),
    )


class PerpetratorForm(PersonForm):
    first_name = LineField(label=_("First name"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.MALE)
    relationship = forms.ChoiceField(
        label=_("Relationship to the victim"),
        choices=[("", "—"), *Relationship.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("first_name") and not self.errors:
            self.add_error("first_name", _("Give at least a first name, or leave this part empty."))
        return data


class ChildForm(forms.Form):
    """Children: few fields, so that the form stays short; more can be added later."""

    first_name = PersonForm.base_fields["first_name"]
    last_name = LineField(label=_("Last name"), max_length=100, required=False)
    birth_date = PersonForm.base_fields["birth_date"]
    approximate_age = PersonForm.base_fields["approximate_age"]
    sex = PersonForm.base_fields["sex"]


ChildFormSet = formset_factory(ChildForm, extra=3, max_num=12, validate_max=True)


class IncidentForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    place = LineField(label=_("Place"), max_length=300, required=False)
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    weapon = forms.ChoiceField(label=_("Weapon"), choices=Incident.Weapon.choices, initial="none")
    children_present = forms.BooleanField(label=_("Children were present"), required=False)
    children_witnessed = forms.BooleanField(label=_("Children witnessed it"), required=False)
    narrative = TextField(
        label=_("What happened, in her words"),
        required=False,
        max_length=10000,
        widget=GuidedTextarea(attrs={"rows": 5}),
    )
    # Declared last: inside the class body the name would hide the `forms` module.
    forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of violence.")},
    )

    field_order = ["occurred_on", "place", "forms"]

    def __init__(self, *args, birth_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.birth_date = birth_date

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        validate_incident_date(value, birth_date=self.birth_date)
        return value


class ConsentForm(forms.Form):
    given = forms.BooleanField(
        label=_("The victim consents to sharing"),
        required=False,
        help_text=_("Tick only what she agreed to, in her own words."),
    )
    agencies = IdsChoiceField(
        label=_("With which agencies"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=PickList,
        help_text=_("Required when she consents: tick every agency she agreed to."),
    )
    share_case_record = forms.BooleanField(label=_("The case record"), required=False, initial=True)
    share_contact = forms.BooleanField(label=_("Contact details"), required=False)
    share_location = forms.BooleanField(
        label=_("Current address and shelter location"), required=False
    )
    share_health = forms.BooleanField(label=_("Health information"), required=False)
    given_on = forms.DateField(
        label=_("Given on"),
        widget=DATE,
        required=False,
        initial=timezone.localdate,
        help_text=_("Required when she consents; today or earlier."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_("Required when she consents; not before the date it was given."),
    )

    def __init__(self, *args, require_given: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_given = require_given
        self.fields["agencies"].label_from_instance = lambda agency: agency.name
        self.fields["given_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        if not (data.get("given") or self.require_given):
            return data
        for name in ("agencies", "given_on", "valid_until"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required when she consents."))
        if data.get("given_on") and data.get("valid_until"):
            try:
                validate_consent_dates(data["given_on"], data["valid_until"])
            except forms.ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return data

    def service_kwargs(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("given") or self.require_given):
            return None
        return {
            "agencies": data["agencies"],
            "given_on": data["given_on"],
            "valid_until": data["valid_until"],
            **{
                f"share_{s}": data[f"share_{s}"]
                for s in ("case_record", "contact", "location", "health")
            },
        }


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason; it is kept in the audit log.")},
    )


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )
    reason = TextField(
        label=_("Reason (required without consent)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].label_from_instance = lambda agency: agency.name


class CaseFilterForm(forms.Form):
    SCOPES = [("agency", _("My agency's cases")), ("mine", _("My cases"))]

    scope = forms.ChoiceField(label=_("Show"), choices=SCOPES, required=False)
    q = LineField(label=_("Reference or name"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))],
        required=False,
    )
    risk = forms.ChoiceField(
        label=_("Risk level"), choices=[("", _("Any")), *RiskLevel.choices], required=False
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DATE)
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=DATE)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["region"].label_from_instance = lambda region: region.name


class EmergencyAccessForm(forms.Form):
    reference = LineField(label=_("Case reference"), max_length=20, help_text="BRG-2026-000123")
    reason = TextField(
        label=_("Why you need it now"),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Auditors review every emergency access."),
    )


class ConflictForm(forms.Form):
    first_name = LineField(label=_("First name"), max_length=100)
    last_name = LineField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Date of birth, if you know it"),
        required=False,
        widget=DATE,
        validators=[validate_birth_date],
    )


class PossibleMatchForm(forms.Form):
    """A coordinator's answer to a possible match: two buttons on the case page."""

    participant = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    match = LineField(max_length=128)
    answer = forms.ChoiceField(choices=IdentityDecision.Answer.choices)


class ReviewForm(forms.Form):
    note = TextField(label=_("Review"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class SealForm(forms.Form):
    reason = TextField(
        label=_("Why the case is sealed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the perpetrator works in an agency, or is a public figure."),
    )
    users = IdsChoiceField(
        label=_("Who else may see it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You and the coordinator always can."),
    )

    def __init__(self, *args, case, **kwargs):

        super().__init__(*args, **kwargs)
        agencies = case.circle.filter(removed_at__isnull=True).values("agency")
        self.fields["users"].queryset = User.objects.filter(
            is_active=True, agency__in=agencies
        ).select_related("agency")
        self.fields["users"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.agency.name})"
        )
