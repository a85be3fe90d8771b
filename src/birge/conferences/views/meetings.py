"""A meeting's page and buttons: the agenda, sending it, opening, attendance with the
confidentiality statement, closing and cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birge.agencies.models import Agency
from birge.audit.services import event_record
from birge.conferences import selectors, services
from birge.conferences.forms import AgendaAddForm, ArrangeForm, AttendForm
from birge.conferences.models import Meeting
from birge.conferences.views._common import PLANNING, ReasonPage, _say, _with_reason
from birge.web.forms import form_add_errors, posted_version

# --- Meetings -------------------------------------------------------------------------


def _meeting_page(request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms):
    user = request.user
    series = meeting.series
    is_chair = selectors.series_is_chair(user=user, series=series)
    attends = selectors.meeting_attends(user=user, meeting=meeting)
    items = list(selectors.items_visible_to(user=user, meeting=meeting))
    planning = meeting.status in PLANNING
    in_session = meeting.status == Meeting.Status.IN_SESSION
    context = {
        "meeting": meeting,
        "series": series,
        "is_chair": is_chair,
        "attends": attends,
        "planning": planning,
        "in_session": in_session,
    }
    if is_chair and planning:
        queue = selectors.queue_of_series(series, viewer=request.user)
        forms.setdefault("add_form", AgendaAddForm(queue=queue))
        forms.setdefault("arrange_form", ArrangeForm(items=items))
        context["queue_length"] = queue.count()
    if in_session and not attends:
        forms.setdefault("attend_form", AttendForm())
        context["statement"] = series.confidentiality(translation.get_language() or "az")
    if is_chair:
        members = set(series.members.values_list("pk", flat=True))
        present = services.agencies_present(meeting) & members
        context["present"] = sorted(Agency.objects.filter(pk__in=present), key=lambda a: a.name)
        context["quorum_reached"] = len(present) >= series.quorum
    context["show_earlier"] = is_chair or attends
    if context["show_earlier"]:
        earlier = selectors.open_actions_of_series(
            series, before=meeting.starts_at, viewer=request.user
        )
        context["open_actions"] = list(earlier[:200])
        context["today"] = timezone.localdate()
    context.update(forms)
    arrange = forms.get("arrange_form")
    context["agenda"] = arrange.rows() if arrange else [(item, None, None) for item in items]
    event_record(
        action="conference.meeting_viewed",
        actor=user,
        object_type="meeting",
        object_id=meeting.pk,
        data={"series": series.pk},
    )
    return render(request, "conferences/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    return _meeting_page(request, meeting)


def _meeting_act(request: HttpRequest, meeting_id: int, act) -> HttpResponse:
    """A button on the meeting page: look it up first (404), then POST only; a refusal is
    shown as a message on the page."""
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done = act(meeting)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, done)
    return redirect("conferences:meeting_detail", meeting_id=meeting.pk)


@login_required
def agenda_build(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def act(meeting):
        added = services.agenda_build(actor=request.user, meeting=meeting)
        waiting = selectors.queue_of_series(meeting.series, viewer=request.user).count()
        said = []
        if added:
            said.append(
                ngettext(
                    "%(n)d case from the queue is on the agenda.",
                    "%(n)d cases from the queue are on the agenda.",
                    len(added),
                )
                % {"n": len(added)}
            )
        elif not waiting:
            return _("No case was added: the queue is empty.")
        if waiting:
            # Say why the rest stay in the queue: the meeting's time is full.
            per_case, room = services.agenda_capacity(meeting)
            said.append(
                ngettext(
                    "%(n)d case still waits in the queue: the agenda is full (three hours "
                    "at %(minutes)d minutes per case: room for %(room)d). Add one by hand "
                    "or plan another meeting.",
                    "%(n)d cases still wait in the queue: the agenda is full (three hours "
                    "at %(minutes)d minutes per case: room for %(room)d). Add one by hand "
                    "or plan another meeting.",
                    waiting,
                )
                % {"n": waiting, "room": room, "minutes": per_case}
            )
        return " ".join(said)

    return _meeting_act(request, meeting_id, act)


@login_required
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AgendaAddForm(
        request.POST, queue=selectors.queue_of_series(meeting.series, viewer=request.user)
    )
    if form.is_valid():
        try:
            services.agenda_add(
                actor=request.user, meeting=meeting, referral=form.cleaned_data["referral"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The case is on the agenda."))
            return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, status=400, add_form=form)


@login_required
def agenda_arrange(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    items = selectors.items_visible_to(user=request.user, meeting=meeting)
    form = ArrangeForm(request.POST, items=items)
    if form.is_valid():
        try:
            services.agenda_arrange(actor=request.user, meeting=meeting, order=form.order())
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("The agenda is arranged."))
            return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, status=400, arrange_form=form)


@login_required
def agenda_send(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def act(meeting):
        services.agenda_send(actor=request.user, meeting=meeting)
        return _("The agenda is sent to the member agencies for their research.")

    return _meeting_act(request, meeting_id, act)


@login_required
def meeting_open(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def act(meeting):
        services.meeting_open(
            actor=request.user, meeting=meeting, version=posted_version(request.POST)
        )
        return _("The meeting is in session. Accept the confidentiality statement to attend.")

    return _meeting_act(request, meeting_id, act)


@login_required
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def act(meeting):
        services.meeting_close(
            actor=request.user, meeting=meeting, version=posted_version(request.POST)
        )
        return _("The meeting is closed; its minutes stand.")

    return _meeting_act(request, meeting_id, act)


@login_required
def meeting_attend(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttendForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid
    try:
        services.meeting_attend(
            actor=request.user,
            meeting=meeting,
            accept=form.cleaned_data["accept"],
            language=translation.get_language() or "az",
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            _say(request, error)
            return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
        form_add_errors(form, error)
        return _meeting_page(request, meeting, status=400, attend_form=form)
    messages.success(request, _("You attend the meeting."))
    return redirect("conferences:meeting_detail", meeting_id=meeting.pk)


@login_required
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if not selectors.series_is_chair(user=request.user, series=meeting.series):
        raise Http404
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    page = ReasonPage(
        title=_("Cancel the meeting of %(date)s") % {"date": starts},
        submit=_("Cancel the meeting"),
        done=_("The meeting is cancelled; its cases are back in the queue."),
        back=reverse("conferences:meeting_detail", args=[meeting.pk]),
        back_label=_("Back to the meeting"),
    )
    return _with_reason(
        request,
        lambda reason, version: services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=reason
        ),
        page,
    )
