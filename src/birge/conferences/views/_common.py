"""What the conference pages share: turning a service's ValidationError into form errors
or messages, reading a posted version, and the capabilities that open the pages."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from birge.agencies.selectors import user_has_capability
from birge.conferences import selectors
from birge.conferences.forms import ReasonForm
from birge.conferences.models import Meeting
from birge.web.forms import form_add_errors

CONFERENCE_CAPABILITIES = ("conference.chair", "conference.attend", "conference.refer")
PLANNING = (Meeting.Status.PLANNED, Meeting.Status.IN_SESSION)
RECENT_DAYS = 90


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _capable(user, *capabilities: str) -> bool:
    return any(user_has_capability(user, c) for c in capabilities)


def _own_actions(user):
    """The actions her agency, or she herself, is responsible for."""
    return selectors.actions_visible_to(user).filter(
        Q(agency_id=user.agency_id) | Q(person_id=user.pk)
    )


@dataclass(frozen=True)
class ReasonPage:
    """What a page that asks for a reason says, and where it leads."""

    title: str
    submit: str
    done: str  # the message once the service has acted
    back: str  # the page it returns to, then and on "back"
    back_label: str


def _with_reason(request: HttpRequest, act, page: ReasonPage, *, version: int | None = None):
    """A chair's step that needs a written reason (withdraw, cancel): GET shows the form;
    a valid POST calls `act(reason=…, version=…)` and returns to `page.back`; the service's
    refusals become the form's errors (400, with her text kept)."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReasonForm(request.POST or None, initial={"version": version})
    if request.method == "POST" and form.is_valid():
        try:
            act(**form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, page.done)
            return redirect(page.back)
    context = {"form": form, "page": page}
    status = 400 if request.method == "POST" else 200
    return render(request, "conferences/reason_form.html", context, status=status)
