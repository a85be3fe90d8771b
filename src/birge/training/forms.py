from django import forms
from django.utils.translation import gettext_lazy as _

from birge.agencies.protocol import MAX_RESPONSE_HOURS
from birge.cases.models import RiskLevel
from birge.risk.forms import AssessmentForm
from birge.training.casestudy import shipped_case_studies, text_in
from birge.training.models import LANGUAGE_CHOICES, Answer
from birge.web.forms import LineField, TextField


class SessionForm(forms.Form):
    title = LineField(
        label=_("Group"), max_length=120, help_text=_("For example the course and its date.")
    )
    case_study = forms.ChoiceField(label=_("Case study"))
    stages = forms.MultipleChoiceField(
        label=_("Stages"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The stages you will release one at a time, in the story's order."),
    )
    language = forms.ChoiceField(label=_("Language of the session"), choices=LANGUAGE_CHOICES)
    workshop = forms.BooleanField(
        label=_("Also a co-operation-plan workshop"),
        required=False,
        help_text=_(
            "Participants propose their agencies' response times for the pathways of the protocol in force."
        ),
    )

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        studies = shipped_case_studies().values()
        self.fields["case_study"].choices = [(s.id, text_in(s.titles, language)) for s in studies]
        # A stage's value names its case study: every study has a "first-contact".
        self.fields["stages"].choices = [
            (
                f"{s.id}:{stage.id}",
                f"{text_in(s.titles, language)}: {stage.number}. {text_in(stage.titles, language)}",
            )
            for s in studies
            for stage in s.stages
        ]
        self.fields["language"].initial = language

    def clean(self):
        data = super().clean()
        study, stages = data.get("case_study"), data.get("stages")
        if study and stages is not None:
            ours = [value.split(":", 1)[1] for value in stages if value.startswith(f"{study}:")]
            if len(ours) != len(stages):
                self.add_error("stages", _("Choose at least one stage of this case study."))
            data["stages"] = ours
        return data


class JoinForm(forms.Form):
    join_code = LineField(label=_("Join code"), max_length=12)
    show_name = forms.BooleanField(
        label=_("Show my name to the facilitator"),
        required=False,
        help_text=_("Otherwise you are “Participant” and a number."),
    )


class StageAnswerForm(AssessmentForm):
    """The real risk checklist's questions (birge.risk.forms), then the stage's other
    exercises. Her own view is not asked: the story gives it."""

    level = forms.ChoiceField(
        label=_("The level you would record"),
        choices=[("", _("What the instrument gives")), *RiskLevel.choices],
        required=False,
        help_text=_(
            "Professional judgement may raise the level the instrument gives, never lower it."
        ),
    )
    actions = TextField(
        label=_("Key actions of the safety plan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One action a line. Do not use the names of real people."),
    )
    referral = forms.ChoiceField(
        label=_("Referral or sharing, and its basis"),
        choices=Answer.Referral.choices,
        widget=forms.RadioSelect,
    )
    conference = forms.TypedChoiceField(
        label=_("Refer to the risk conference?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["victim_fear"]
        del self.fields["victim_view"]


class PointsForm(forms.Form):
    points = TextField(
        label=_("Points discussed"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ProposalsForm(forms.Form):
    """Her agency's proposed response time, in hours, for each pathway in force."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"hours_{row.id}"] = forms.IntegerField(
                label=row.situation,
                required=False,
                min_value=1,
                max_value=MAX_RESPONSE_HOURS,
                help_text=_("In force: %(hours)d h") % {"hours": row.hours},
            )
            self.fields[f"note_{row.id}"] = LineField(
                label=_("Why (optional)"), required=False, max_length=300
            )

    def proposals(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {
            row.id: (data.get(f"hours_{row.id}") or 0, data.get(f"note_{row.id}") or "")
            for row in self.rows
        }


class CarryForm(forms.Form):
    """The hours the group settled on, per pathway (prefilled with the proposals' median)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"hours_{row.id}"] = forms.IntegerField(
                label=row.situation,
                required=False,
                min_value=1,
                max_value=MAX_RESPONSE_HOURS,
                initial=row.median or row.hours,
            )

    def hours(self) -> dict[str, int]:
        return {row.id: self.cleaned_data.get(f"hours_{row.id}") or 0 for row in self.rows}
