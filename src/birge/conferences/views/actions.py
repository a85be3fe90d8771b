"""Conference actions: the agency's list, one action's page, reporting it done, and the
chair's cancel and edit."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.conferences import selectors, services
from birge.conferences.forms import ActionForm, NoteForm
from birge.conferences.models import ConferenceAction, Meeting
from birge.conferences.views._common import (
    CONFERENCE_CAPABILITIES,
    RECENT_DAYS,
    ReasonPage,
    _capable,
    _own_actions,
    _with_reason,
)
from birge.web.forms import form_add_errors

# --- Actions --------------------------------------------------------------------------


@login_required
def actions_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = _own_actions(user).select_related("case", "agency", "person", "series")
    capable = _capable(user, *CONFERENCE_CAPABILITIES, "agency.oversee")
    if not capable and not own.exists():
        raise Http404
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    context = {
        "open": list(own.filter(status=ConferenceAction.Status.OPEN).order_by("due_on", "id")),
        "recent": list(
            own.exclude(status=ConferenceAction.Status.OPEN)
            .filter(completed_at__gte=since)
            .order_by("-completed_at", "-id")[:100]
        ),
        "today": timezone.localdate(),
        "recent_days": RECENT_DAYS,
    }
    return render(request, "conferences/actions_list.html", context)


def _action_page(request, action: ConferenceAction, *, status: int = 200, **forms):
    user = request.user
    is_chair = selectors.series_is_chair(user=user, series=action.series)
    is_open = action.status == ConferenceAction.Status.OPEN
    may_complete = selectors.action_may_complete(user=user, action=action)
    if may_complete:
        forms.setdefault("complete_form", NoteForm(initial={"version": action.version}))
    context = {
        "action": action,
        "meeting": action.item.meeting,
        "is_chair": is_chair,
        "may_cancel": is_chair and is_open,
        "may_edit": is_chair
        and is_open
        and action.item.meeting.status == Meeting.Status.IN_SESSION,
        "overdue": is_open and action.due_on < timezone.localdate(),
        **forms,
    }
    return render(request, "conferences/action_detail.html", context, status=status)


@login_required
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(user=request.user, action_id=action_id)
    return _action_page(request, action)


@login_required
def action_complete(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get_for_user(user=request.user, action_id=action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.action_complete(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The action is done."))
            return redirect("conferences:action_detail", action_id=action.pk)
    return _action_page(request, action, status=400, complete_form=form)


def _action_chaired(user, action_id) -> ConferenceAction:
    action = selectors.action_get_for_user(user=user, action_id=action_id)
    if not selectors.series_is_chair(user=user, series=action.series):
        raise Http404
    return action


@login_required
def action_cancel(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_chaired(request.user, action_id)
    page = ReasonPage(
        title=_("Cancel the action for case %(reference)s") % {"reference": action.case.reference},
        submit=_("Cancel the action"),
        done=_("The action is cancelled."),
        back=reverse("conferences:action_detail", args=[action.pk]),
        back_label=_("Back to the action"),
    )
    return _with_reason(
        request,
        lambda reason, version: services.action_cancel(
            actor=request.user, action=action, reason=reason, version=version
        ),
        page,
        version=action.version,
    )


@login_required
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = _action_chaired(request.user, action_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    initial = {
        "text": action.text,
        "agency": action.agency_id,
        "person": action.person_id,
        "due_on": action.due_on,
        "concerns": action.concerns,
        "version": action.version,
    }
    people_url = reverse("conferences:item_people", args=[action.item.meeting_id, action.item_id])
    form = ActionForm(
        request.POST or None, initial=initial, series=action.series, people_url=people_url
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The action is changed."))
            return redirect("conferences:action_detail", action_id=action.pk)
    status = 400 if request.method == "POST" else 200
    context = {"action": action, "form": form}
    return render(request, "conferences/action_form.html", context, status=status)
