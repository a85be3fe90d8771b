from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from birge.safety.models import ACTION_MAX_LENGTH, SECTION_MAX_LENGTH, SECTIONS, SafetyAction
from birge.web.forms import TextField
from birge.words.widgets import GuidedTextarea

SECTION_HELP = {
    "contacts": _("People she can call, and words that tell them she needs help."),
    "leaving": _("How she would leave in a hurry, and the documents and things to take."),
    "children": _("What the children know to do, and who may pick them up."),
    "digital": _("Phone, passwords, location sharing, social media."),
    "work_school": _("Safety on the way to and at work or school."),
    "protection_orders": _("Orders in force or applied for, and what to do on a breach."),
    "support_services": _("Hotlines, legal aid, health and counselling she can turn to."),
}


class SafetyPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    language = forms.ChoiceField(
        label=_("Language of her copy"),
        choices=settings.LANGUAGES,
        help_text=_("The printed copy and the PDF she takes are in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SECTIONS:
            self.fields[name] = TextField(
                label=label,
                help_text=SECTION_HELP[name],
                required=False,
                max_length=SECTION_MAX_LENGTH,
                widget=GuidedTextarea(attrs={"rows": 4}),
            )

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label in SECTIONS}


class SafetyActionForm(forms.Form):
    text = TextField(
        label=_("What is to be done"),
        max_length=ACTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=None, required=False
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, agencies, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda agency: agency.name
        self.fields["responsible"].queryset = people
        self.fields["responsible"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.agency.name})"
        )


class SafetyActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SafetyAction.Status.choices)
