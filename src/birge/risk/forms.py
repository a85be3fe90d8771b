from django import forms
from django.utils.translation import gettext_lazy as _

from birge.cases.models import RiskLevel
from birge.risk.models import RiskAssessment
from birge.web.forms import TextField
from birge.words.widgets import GuidedTextarea

ANSWER_CHOICES = [
    ("yes", _("Yes")),
    ("no", _("No")),
    ("unknown", _("Not known")),
    ("declined", _("She did not want to answer")),
]


class AssessmentForm(forms.Form):
    """One radio group per item of the instrument, in the reader's language."""

    victim_fear = forms.ChoiceField(
        label=_("Her own view of the danger"),
        choices=RiskAssessment.Fear.choices,
        initial=RiskAssessment.Fear.NOT_ASKED,
        help_text=_(
            "If she is very afraid for her life or a child's, a level below high needs your professional judgement with a written reason."
        ),
    )
    victim_view = TextField(
        label=_("In her words"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, instrument, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.language = language
        self.groups: dict[str, list[str]] = {}
        for item in instrument.items:
            name = f"item_{item.id}"
            self.fields[name] = forms.ChoiceField(
                label=item.texts.get(language) or item.texts["az"],
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
            self.groups.setdefault(item.category, []).append(name)

    def answers(self) -> dict[str, str]:
        return {
            item.id: self.cleaned_data.get(f"item_{item.id}") or ""
            for item in self.instrument.items
        }

    def grouped_fields(self):
        """(category name in the reader's language, its questions), in the file's order."""
        categories = self.instrument.categories
        return [
            (categories.get(category, {}).get(self.language) or category, [self[n] for n in names])
            for category, names in self.groups.items()
        ]


class JudgementForm(forms.Form):
    # Blank for an incomplete result, which has no level to offer: the service refuses
    # it until a level is chosen (and defaults any other result to its computed level).
    final_level = forms.ChoiceField(
        label=_("Level after professional judgement"),
        choices=[("", "—"), *RiskLevel.choices],
        required=False,
    )
    judgement_reason = TextField(
        label=_("Reason for your professional judgement"),
        required=False,
        max_length=4000,
        widget=GuidedTextarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when the level differs from the computed one, when the answers are incomplete, and when she is very afraid for her life or a child's and the level is below high. Lowering the level also needs a second professional from another agency."
        ),
    )


class LevelByJudgementForm(forms.Form):
    """The level by professional judgement alone (the service checks the reason's length,
    as it does for every judgement)."""

    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    reason = TextField(
        label=_("Reason (professional judgement)"),
        max_length=4000,
        widget=GuidedTextarea(attrs={"rows": 3}),
        help_text=_(
            "At least 10 characters. A level lower than the one in force waits for a professional of another agency in the case's circle."
        ),
    )


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file (YAML or JSON)"),
        help_text=_(
            "A new instrument, or a new version of one; the file is checked before it is added."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("The file is too large (at most 512 KB)."))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file must be UTF-8 text.")) from error
