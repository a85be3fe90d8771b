"""What the conference pages share: turning a service's ValidationError into form errors
or messages, reading a posted version, and the capabilities that open the pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import render

from birge.agencies.selectors import user_has_capability
from birge.conferences import selectors
from birge.conferences.models import Meeting

CONFERENCE_CAPABILITIES = ("conference.chair", "conference.attend", "conference.refer")
PLANNING = (Meeting.Status.PLANNED, Meeting.Status.IN_SESSION)
RECENT_DAYS = 90


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _version(data) -> int | None:
    value = data.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _capable(user, *capabilities: str) -> bool:
    return any(user_has_capability(user, c) for c in capabilities)


def _own_actions(user):
    """The actions her agency, or she herself, is responsible for."""
    return selectors.actions_visible_to(user).filter(
        Q(agency_id=user.agency_id) | Q(person_id=user.pk)
    )


def _reason_page(request, form, *, title: str, submit: str, back: str, back_label: str, status):
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "back": back,
        "back_label": back_label,
    }
    return render(request, "conferences/reason_form.html", context, status=status)
