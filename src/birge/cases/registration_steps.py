"""Case registration in steps: what was typed is kept server-side between the steps.

The draft lives in the person's session (the database), encrypted like other personal data
and bound to her user id; nothing of it goes into a URL. Each step stores what its page
posted (even when it has errors, so Back keeps it); the last step binds every form again
from the draft and hands the whole registration to `services.case_register` once, under
the draft's idempotency key.
"""

import json
import uuid
from dataclasses import dataclass

from django import forms as django_forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from birge.cases.forms import ChildFormSet, ConsentForm, IncidentForm, PerpetratorForm, VictimForm
from birge.privacy.keys import DecryptionError, keyring

SESSION_KEY = "birge_case_registration"
CONTEXT = "cases.registration_draft"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    parts: tuple[str, ...]


STEPS = (
    Step("victim", _("The victim"), ("victim",)),
    Step("incident", _("What happened"), ("incident",)),
    Step("people", _("Perpetrator and children"), ("perpetrator", "children")),
    Step("consent", _("Consent and sharing"), ("consent",)),
)
REVIEW = "review"
SLUGS = [step.slug for step in STEPS]


def step_by_slug(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def neighbours(step: Step) -> tuple[str | None, str]:
    """The slug before this step (None for the first) and the one after it."""
    index = SLUGS.index(step.slug)
    before = SLUGS[index - 1] if index else None
    after = SLUGS[index + 1] if index + 1 < len(SLUGS) else REVIEW
    return before, after


class Draft:
    """One registration being typed: its idempotency key and each step's posted fields."""

    def __init__(self, key: str, data: dict[str, dict[str, list[str]]]) -> None:
        self.key = key
        self.data = data

    @classmethod
    def start(cls) -> "Draft":
        return cls(uuid.uuid4().hex, {})

    @classmethod
    def load(cls, request) -> "Draft | None":
        token = request.session.get(SESSION_KEY)
        if not token:
            return None
        try:
            plain = keyring().decrypt(token, context=CONTEXT, row=str(request.user.pk))
        except DecryptionError:
            return None
        stored = json.loads(plain)
        return cls(stored["key"], stored["data"])

    def save(self, request) -> None:
        plain = json.dumps({"key": self.key, "data": self.data})
        request.session[SESSION_KEY] = keyring().encrypt(
            plain, context=CONTEXT, row=str(request.user.pk)
        )

    @staticmethod
    def discard(request) -> None:
        request.session.pop(SESSION_KEY, None)

    def keep(self, step: Step, posted) -> None:
        """What the step's page posted, field by field (its parts' prefixes only)."""
        prefixes = tuple(f"{part}-" for part in step.parts)
        self.data[step.slug] = {
            name: posted.getlist(name) for name in posted if name.startswith(prefixes)
        }

    def posted(self, step: Step) -> MultiValueDict | None:
        if step.slug not in self.data:
            return None
        return MultiValueDict(self.data[step.slug])

    def forms(self, step: Step, posted=None) -> dict[str, django_forms.BaseForm]:
        """The step's forms, bound to `posted` or else to what the draft holds for it."""
        data = posted if posted is not None else self.posted(step)
        built: dict[str, django_forms.BaseForm] = {}
        for part in step.parts:
            if part == "incident":
                built[part] = IncidentForm(data, prefix=part, birth_date=self.victim_birth())
            elif part == "children":
                built[part] = ChildFormSet(data, prefix=part)
            else:
                form_class = {
                    "victim": VictimForm,
                    "perpetrator": PerpetratorForm,
                    "consent": ConsentForm,
                }[part]
                built[part] = form_class(data, prefix=part)
        return built

    def victim_birth(self):
        victim = VictimForm(self.posted(STEPS[0]), prefix="victim")
        return victim.cleaned_data.get("birth_date") if victim.is_valid() else None

    def all_forms(self) -> tuple[dict[str, django_forms.BaseForm], Step | None]:
        """Every form bound to the draft, and the first step that is missing or invalid."""
        everything: dict[str, django_forms.BaseForm] = {}
        first_bad = None
        for step in STEPS:
            forms = self.forms(step)
            everything.update(forms)
            if first_bad is None and (
                step.slug not in self.data or not all(f.is_valid() for f in forms.values())
            ):
                first_bad = step
        return everything, first_bad


def service_kwargs(forms: dict[str, django_forms.BaseForm]) -> dict:
    """The keyword arguments of `services.case_register` from valid registration forms."""
    perpetrator_form = forms["perpetrator"]
    perpetrator = perpetrator_form.cleaned_data if perpetrator_form.has_changed() else None
    return {
        "victim": forms["victim"].cleaned_data,
        "perpetrator": perpetrator,
        "relationship": (perpetrator or {}).get("relationship", ""),
        "children": [c for c in forms["children"].cleaned_data if c],
        "incident": forms["incident"].cleaned_data,
        "consent": forms["consent"].service_kwargs(),
    }


def summary(form: django_forms.BaseForm) -> list[tuple[str, object]]:
    """A valid form's answers as (label, value) pairs for the review page; empty ones left out."""
    rows: list[tuple[str, object]] = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False) or isinstance(field.widget, django_forms.HiddenInput):
            continue
        if value is True:
            value = _("Yes")
        elif isinstance(field, django_forms.ModelMultipleChoiceField):
            value = ", ".join(field.label_from_instance(item) for item in value)
        elif isinstance(field, django_forms.ChoiceField):
            labels = dict(field.choices)
            values = value if isinstance(value, list) else [value]
            value = ", ".join(str(labels.get(v, v)) for v in values)
        rows.append((str(field.label), value))
    return rows
