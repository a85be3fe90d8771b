"""What every page's form handling shares."""

from contextvars import ContextVar
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birge.web.text import validate_free_text, validate_one_line

# A version is a row counter: anything longer is not one, and must not reach the database.
VERSION_DIGITS = 9


# Set when a service refused a form as stale; StaleFormMiddleware answers that page 409.
_stale: ContextVar[bool] = ContextVar("birge_stale_form", default=False)


def form_add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: a field's message by its field (when the form has
    it), anything else above the form. A stale version (someone changed the record since
    the page was shown) makes the page answer 409 Conflict, its message saying to reload."""
    if getattr(error, "code", "") == "stale":
        _stale.set(True)
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted_version(data) -> int | None:
    """The `version` a button posted (the one its page showed), or None when it posted
    none or nonsense: then the service checks against the row as it is."""
    value = data.get("version", "")
    if value.isascii() and value.isdigit() and len(value) <= VERSION_DIGITS:
        return int(value)
    return None


class LineField(forms.CharField):
    """A one-line text field: names, references, places (birge.web.text)."""

    default_validators = [validate_one_line]


class PickList(forms.CheckboxSelectMultiple):
    """A list of checkboxes with a filter box above it (birge/js/forms.js); without
    JavaScript it is a plain list of checkboxes. For choosing several agencies."""

    template_name = "web/widgets/pick_list.html"


class TextField(forms.CharField):
    """Free text on several lines: narratives, reasons, notes (birge.web.text)."""

    widget = forms.Textarea
    default_validators = [validate_free_text]


def text_formfield(db_field, **kwargs):
    """For a ModelForm's `Meta.formfield_callback`: a model's plain text fields become
    LineField or TextField, so model forms refuse what other forms refuse (slugs, emails
    and other special text fields keep their own form fields)."""
    field = db_field.formfield(**kwargs)
    if type(field) is forms.CharField and not db_field.choices:
        one_line = isinstance(db_field, models.CharField)
        field = db_field.formfield(form_class=LineField if one_line else TextField, **kwargs)
    return field


def stale_form_begin() -> None:
    _stale.set(False)


def stale_form_refused() -> bool:
    """Whether a form in this request was refused because its record changed meanwhile."""
    return _stale.get()


# The days a period of figures may start or end on: a plain date field takes any day a
# datetime can hold, and a day after the last or before the first overflows a time zone.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


class PeriodForm(forms.Form):
    """A period of whole days for figures, `since` up to and including `until`, either
    open; a subclass names `since` for what it counts. A day outside EARLIEST…LATEST is
    refused on its field, a start after the end above the form."""

    since = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def _clean_day(self, name: str) -> date | None:
        day = self.cleaned_data[name]
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Give a date from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
            )
        return day

    def clean_since(self) -> date | None:
        return self._clean_day("since")

    def clean_until(self) -> date | None:
        return self._clean_day("until")

    def open_end(self) -> date | None:
        """The end an open `until` stands for, when the start must come before it."""
        return None

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until") or self.open_end()
        if since and until and since > until:
            raise forms.ValidationError(
                _("The first date is after the last one: give a start before the end.")
            )
        return cleaned
