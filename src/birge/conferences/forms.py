"""The risk conference's forms: they parse what was typed; the services decide."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.agencies.models import Agency, User
from birge.agencies.selectors import users_with_capability
from birge.conferences.models import Concern, ConferenceSeries, ResearchTopic
from birge.conferences.services._common import TEXT_MAX_LENGTH
from birge.conferences.services.meetings import MAX_MINUTES
from birge.conferences.services.series import FIELDS as SERIES_FIELDS
from birge.privacy.ids import IdsChoiceField
from birge.web.forms import LineField, PickList, TextField, text_formfield
from birge.words.widgets import GuidedTextarea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(
    label, *, required: bool = True, rows: int = 4, help_text: str = "", guided: bool = False
) -> forms.CharField:
    """`guided`: text about the victim, with the language guidance under it."""
    textarea = GuidedTextarea if guided else forms.Textarea
    return TextField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=textarea(attrs={"rows": rows}),
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class NamedChoiceField(forms.ModelChoiceField):
    """Agencies and people by their names in the reader's language."""

    def label_from_instance(self, obj) -> str:
        if isinstance(obj, User):
            return f"{obj.display_name} ({obj.agency.name})"
        return obj.name


class SeriesForm(forms.ModelForm):
    """A series' settings; saved by `services.series_save`."""

    members = IdsChoiceField(
        label=_("Member agencies"),
        queryset=Agency.objects.none(),
        widget=PickList,
        required=False,
    )
    chair = NamedChoiceField(label=_("Chair"), queryset=User.objects.none())

    class Meta:
        formfield_callback = text_formfield  # text fields as LineField / TextField
        model = ConferenceSeries
        fields = [*SERIES_FIELDS, "members"]
        widgets = {
            "confidentiality_az": forms.Textarea(attrs={"rows": 4}),
            "confidentiality_ru": forms.Textarea(attrs={"rows": 4}),
            "confidentiality_en": forms.Textarea(attrs={"rows": 4}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Short, unique, latin letters, digits and hyphens."),
            "confidentiality_az": _("Every attendee accepts it at every meeting."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True)
        if self.instance.pk:
            agencies = agencies | self.instance.members.all()
        self.fields["members"].queryset = agencies.distinct().order_by("code")
        self.fields["members"].label_from_instance = lambda agency: agency.name
        chairs = users_with_capability("conference.chair").select_related("agency")
        self.fields["chair"].queryset = chairs.order_by("agency__code", "last_name", "id")


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = LineField(label=_("Place"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=3)
    version = _version()


class NoteForm(forms.Form):
    note = _text(_("Note"), required=False, rows=3)
    version = _version()


class ReferForm(forms.Form):
    reason = _text(
        _("Why the case needs the conference"),
        rows=6,
        help_text=_(
            "Your professional judgement: what you know that makes her safety depend on "
            "several agencies acting together."
        ),
    )


class AttendForm(forms.Form):
    # Required by the service, which gives the message.
    accept = forms.BooleanField(
        label=_("I accept the confidentiality statement above."), required=False
    )


class AgendaAddForm(forms.Form):
    referral = forms.ModelChoiceField(label=_("Case from the queue"), queryset=None)

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["referral"]
        field.queryset = queue
        field.label_from_instance = lambda r: " · ".join(
            str(part)
            for part in (
                r.case.reference,
                r.case.get_risk_level_display(),
                r.get_criterion_display(),
            )
            if part
        )


class ArrangeForm(forms.Form):
    """Each agenda item's place and minutes, as fields position-<id> and minutes-<id>."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            attrs = {"form": "arrange"}
            self.fields[f"position-{item.pk}"] = forms.IntegerField(
                label=_("Order"),
                min_value=1,
                max_value=999,
                initial=item.position,
                widget=forms.NumberInput(attrs=attrs),
            )
            self.fields[f"minutes-{item.pk}"] = forms.IntegerField(
                label=pgettext_lazy("agenda time", "Minutes"),
                min_value=1,
                max_value=MAX_MINUTES,
                initial=item.minutes,
                widget=forms.NumberInput(attrs=attrs),
            )

    def rows(self) -> list[tuple]:
        return [
            (item, self[f"position-{item.pk}"], self[f"minutes-{item.pk}"]) for item in self.items
        ]

    def order(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {i.pk: (data[f"position-{i.pk}"], data[f"minutes-{i.pk}"]) for i in self.items}


class ResearchForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=ResearchTopic.choices)
    text = _text(_("What your agency holds"), rows=5, guided=True)


class DiscussionForm(forms.Form):
    summary = _text(_("Summary"), rows=5, guided=True)
    victim_view = _text(_("The victim's view (through her coordinator)"), guided=True)
    risks = _text(_("Risks identified"), guided=True)
    version = _version()


class ActionForm(forms.Form):
    """An action agreed at the meeting. The agency, the due date and the concerns are
    checked by the service, which gives one message for each."""

    text = _text(pgettext_lazy("task", "Action"), rows=3)
    agency = NamedChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), required=False
    )
    person = NamedChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Every action needs a named person before the meeting closes."),
        # The service's words for a person of another agency: one answer for every id
        # that is not an active person of the responsible agency.
        error_messages={"invalid_choice": _("Name an active person of the responsible agency.")},
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)
    concerns = forms.MultipleChoiceField(
        label=_("Whom it protects or addresses"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = _version()

    def __init__(self, *args, series: ConferenceSeries, people_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        members = series.members.values("pk")
        if people_url:
            # htmx: choosing the agency narrows the person list without reloading the page.
            self.fields["agency"].widget.attrs.update(
                {
                    "hx-get": people_url,
                    "hx-trigger": "change",
                    "hx-target": "#id_person",
                    "hx-swap": "outerHTML",
                    "hx-include": "this",
                }
            )
        self.fields["agency"].queryset = (
            Agency.objects.filter(is_active=True)
            .annotate(
                member=Case(
                    When(pk__in=members, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("member", "code")
        )
        people = User.objects.filter(is_active=True, agency__is_active=True)
        agency = self.chosen_agency()
        if agency is not None:
            people = people.filter(agency_id=agency)
        self.fields["person"].queryset = people.select_related("agency").order_by(
            "agency__code", "last_name", "first_name", "id"
        )

    def chosen_agency(self) -> int | None:
        """The responsible agency's id as posted (or as the form starts), if it is one."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("agency"), "")
        else:
            value = self.initial.get("agency", "")
        text = str(getattr(value, "pk", value) or "")
        if text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
        return None

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "agency": data["agency"],
            "person": data["person"],
            "due_on": data["due_on"],
            "concerns": data["concerns"],
        }
