"""The risk conference's pages. Every series, meeting, agenda item and action comes from
`birge.conferences.selectors` (404 for anyone it does not concern, whatever the method);
every change is one call to `services`. Buttons are POST only, checked after the lookup."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.agencies.models import Agency
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.audit.services import event_record
from birge.conferences import selectors, services
from birge.conferences.forms import (
    ActionForm,
    AgendaAddForm,
    ArrangeForm,
    AttendForm,
    DiscussionForm,
    MeetingForm,
    NoteForm,
    ReasonForm,
    ReferForm,
    ResearchForm,
    SeriesForm,
)
from birge.conferences.models import (
    AgendaItem,
    Cadence,
    ConferenceAction,
    ConferenceSeries,
    Meeting,
)
from birge.conferences.services.series import FIELDS as SERIES_FIELDS
from birge.risk.selectors import assessment_reasons

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


# --- The conference's home ------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    series = list(selectors.series_visible_to(user).select_related("region", "chair"))
    if not series and not _capable(user, *CONFERENCE_CAPABILITIES, "agencies.manage"):
        raise Http404
    meetings = (
        selectors.meetings_visible_to(user)
        .filter(status__in=PLANNING)
        .select_related("series")
        .order_by("starts_at", "id")[:50]
    )
    actions = (
        _own_actions(user)
        .filter(status=ConferenceAction.Status.OPEN)
        .select_related("case", "agency", "person")
        .order_by("due_on", "id")[:100]
    )
    context = {
        "series": series,
        "chaired": set(selectors.series_chaired_by(user).values_list("pk", flat=True)),
        "membership": set(selectors.series_of_member(user).values_list("pk", flat=True)),
        "meetings": list(meetings),
        "actions": list(actions),
        "can_manage": user_has_capability(user, "agencies.manage"),
        "today": timezone.localdate(),
    }
    return render(request, "conferences/index.html", context)


# --- Series ---------------------------------------------------------------------------


def _series_chaired(user, series_id) -> ConferenceSeries:
    """A chair-side page: the series, or 404 for anyone not on its chair side."""
    series = selectors.series_get_for_user(user=user, series_id=series_id)
    if not selectors.series_is_chair(user=user, series=series):
        raise Http404
    return series


def _series_form(request: HttpRequest, series: ConferenceSeries | None) -> HttpResponse:
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SERIES_FIELDS}
        try:
            saved = services.series_save(
                actor=request.user, data=data, members=form.cleaned_data["members"], series=series
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The conference series is saved."))
            return redirect("conferences:series_detail", series_id=saved.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "series": series}
    return render(request, "conferences/series_form.html", context, status=status)


@capability_required("agencies.manage")
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest) -> HttpResponse:
    return _series_form(request, None)


@capability_required("agencies.manage")
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = selectors.series_get_for_user(user=request.user, series_id=series_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return _series_form(request, series)


@login_required
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    user = request.user
    series = selectors.series_get_for_user(user=user, series_id=series_id)
    is_chair = selectors.series_is_chair(user=user, series=series)
    is_member = selectors.series_is_member(user=user, series=series)
    meetings = selectors.meetings_visible_to(user).filter(series=series).order_by("-starts_at")
    context = {
        "series": series,
        "members": sorted(series.members.all(), key=lambda agency: agency.name),
        "is_chair": is_chair,
        "queue": list(selectors.queue_of_series(series, viewer=request.user)) if is_chair else [],
        "watch": list(selectors.watch_of_series(series, viewer=request.user)) if is_chair else [],
        "meetings": list(meetings[:50]) if is_member else [],
        "is_member": is_member,
        "figures": selectors.figures_visible(user=user, series=series),
        "can_manage": user_has_capability(user, "agencies.manage"),
    }
    return render(request, "conferences/series_detail.html", context)


def _add_month(moment: datetime) -> datetime:
    month = moment.month % 12 + 1
    year = moment.year + (moment.month == 12)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _proposed_start(series: ConferenceSeries) -> datetime:
    """The series' next sitting by its cadence after its latest meeting (at 10:00, a
    cadence's step from now, when it has none)."""

    def step(moment: datetime) -> datetime:
        if series.cadence == Cadence.MONTHLY:
            return _add_month(moment)
        return moment + timedelta(days=14 if series.cadence == Cadence.FORTNIGHTLY else 7)

    now = timezone.localtime()
    latest = series.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("-starts_at").first()
    if latest is None:
        return step(now).replace(hour=10, minute=0, second=0, microsecond=0)
    proposed = step(timezone.localtime(latest.starts_at))
    while proposed <= now:
        proposed = step(proposed)
    return proposed.replace(second=0, microsecond=0)


@login_required
def meeting_new(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series_chaired(request.user, series_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = MeetingForm(request.POST or None, initial={"starts_at": _proposed_start(series)})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Now build its agenda."))
            return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"series": series, "form": form}
    return render(request, "conferences/meeting_form.html", context, status=status)


def _reason_page(request, form, *, title: str, submit: str, back: str, back_label: str, status):
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "back": back,
        "back_label": back_label,
    }
    return render(request, "conferences/reason_form.html", context, status=status)


@login_required
def queue_withdraw(request: HttpRequest, series_id: int, referral_id: int) -> HttpResponse:
    series = _series_chaired(request.user, series_id)
    referral = selectors.queue_of_series(series, viewer=request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_withdraw(
                actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The case is taken out of the queue."))
            return redirect("conferences:series_detail", series_id=series.pk)
    return _reason_page(
        request,
        form,
        title=_("Take case %(reference)s out of the queue")
        % {"reference": referral.case.reference},
        submit=_("Take out of the queue"),
        back=reverse("conferences:series_detail", args=[series.pk]),
        back_label=series.name,
        status=400 if request.method == "POST" else 200,
    )


@login_required
def watch_close(request: HttpRequest, series_id: int, referral_id: int) -> HttpResponse:
    series = _series_chaired(request.user, series_id)
    referral = selectors.watch_of_series(series, viewer=request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.watch_close(
            actor=request.user, referral=referral, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(
            request,
            _("Case %(reference)s is closed at the conference.")
            % {"reference": referral.case.reference},
        )
    return redirect("conferences:series_detail", series_id=series.pk)


# --- Referring a case -----------------------------------------------------------------


@capability_required("conference.refer")
def refer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_refer(
                actor=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The case is in the risk conference's queue."))
            return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "series": selectors.series_for_case(case)}
    return render(request, "conferences/refer.html", context, status=status)


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
        if not added:
            return _("No case was added: the queue is empty or the agenda is full.")
        return ngettext(
            "%(n)d case from the queue is on the agenda.",
            "%(n)d cases from the queue are on the agenda.",
            len(added),
        ) % {"n": len(added)}

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
            _add_errors(form, error)
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
            _add_errors(form, error)
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
        services.meeting_open(actor=request.user, meeting=meeting, version=_version(request.POST))
        return _("The meeting is in session. Accept the confidentiality statement to attend.")

    return _meeting_act(request, meeting_id, act)


@login_required
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    def act(meeting):
        services.meeting_close(actor=request.user, meeting=meeting, version=_version(request.POST))
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
        _add_errors(form, error)
        return _meeting_page(request, meeting, status=400, attend_form=form)
    messages.success(request, _("You attend the meeting."))
    return redirect("conferences:meeting_detail", meeting_id=meeting.pk)


@login_required
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if not selectors.series_is_chair(user=request.user, series=meeting.series):
        raise Http404
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The meeting is cancelled; its cases are back in the queue.")
            )
            return redirect("conferences:series_detail", series_id=meeting.series_id)
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    return _reason_page(
        request,
        form,
        title=_("Cancel the meeting of %(date)s") % {"date": starts},
        submit=_("Cancel the meeting"),
        back=reverse("conferences:meeting_detail", args=[meeting.pk]),
        back_label=_("Back to the meeting"),
        status=400 if request.method == "POST" else 200,
    )


# --- Agenda items ---------------------------------------------------------------------


def _item_get(user, meeting_id, item_id) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.meeting_get_for_user(user=user, meeting_id=meeting_id)
    return meeting, selectors.item_get_for_user(user=user, meeting=meeting, item_id=item_id)


def _item_page(
    request: HttpRequest, meeting: Meeting, item: AgendaItem, *, status: int = 200, **forms
) -> HttpResponse:
    user = request.user
    series = meeting.series
    is_chair = selectors.series_is_chair(user=user, series=series)
    attends = selectors.may_see_discussion(user=user, meeting=meeting)
    in_session = meeting.status == Meeting.Status.IN_SESSION
    planning = meeting.status in PLANNING
    pending = item.outcome == AgendaItem.Outcome.PENDING
    open_for_actions = is_chair and attends and in_session
    open_for_actions = open_for_actions and item.outcome != AgendaItem.Outcome.DEFERRED
    brief = selectors.research_brief(user=user, item=item)
    assessment = item.referral.risk_assessment
    notes = list(selectors.research_visible_to(user=user, item=item))
    if any(note.author_id != user.pk for note in notes):
        event_record(
            action="conference.research_viewed",
            actor=user,
            object_type="case",
            object_id=item.case_id,
            data={"meeting": meeting.pk, "item": item.pk},
        )
    may_research = (
        planning
        and selectors.series_is_member(user=user, series=series)
        and series.members.filter(pk=user.agency_id).exists()
    )
    if may_research:
        forms.setdefault("research_form", ResearchForm())
    if open_for_actions:
        forms.setdefault(
            "discussion_form",
            DiscussionForm(
                initial={
                    "summary": item.summary,
                    "victim_view": item.victim_view,
                    "risks": item.risks,
                    "version": item.version,
                }
            ),
        )
        forms.setdefault("action_form", ActionForm(series=series))
    context = {
        "meeting": meeting,
        "series": series,
        "item": item,
        "referral": item.referral,
        "brief": brief,
        "reasons": assessment_reasons(assessment) if assessment and not brief.sealed else [],
        "notes": notes,
        "is_chair": is_chair,
        "attends": attends,
        "actions": list(item.actions.select_related("agency", "person")) if attends else [],
        "may_defer": is_chair and attends and in_session and pending,
        "may_remove": is_chair and planning and pending,
        "today": timezone.localdate(),
        **forms,
    }
    return render(request, "conferences/item_detail.html", context, status=status)


@login_required
def item_detail(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    return _item_page(request, meeting, item)


def _item_act(request: HttpRequest, meeting_id: int, item_id: int, act) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        done, to_meeting = act(item)
    except ValidationError as error:
        _say(request, error)
        to_meeting = False
    else:
        messages.success(request, done)
    if to_meeting:
        return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)


@login_required
def item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def act(item):
        services.agenda_remove(actor=request.user, item=item)
        return _("The case is off the agenda and back in the queue."), True

    return _item_act(request, meeting_id, item_id, act)


@login_required
def item_defer(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def act(item):
        services.item_defer(actor=request.user, item=item)
        return _("The case is deferred and back in the queue for a later meeting."), False

    return _item_act(request, meeting_id, item_id, act)


def _item_form(request, meeting_id, item_id, form_class, name: str, save, done: str):
    """A form on the item page: its errors re-render the page (400), keeping what was typed."""
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(item, form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)
    return _item_page(request, meeting, item, status=400, **{name: form})


@login_required
def item_research(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def save(item, form):
        services.research_add(actor=request.user, item=item, **form.cleaned_data)

    return _item_form(
        request,
        meeting_id,
        item_id,
        ResearchForm,
        "research_form",
        save,
        _("Your agency's research is added."),
    )


@login_required
def item_discussion(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    def save(item, form):
        services.item_discuss(actor=request.user, item=item, **form.cleaned_data)

    return _item_form(
        request,
        meeting_id,
        item_id,
        DiscussionForm,
        "discussion_form",
        save,
        _("The discussion is recorded."),
    )


@login_required
def item_action_new(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting, item = _item_get(request.user, meeting_id, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionForm(request.POST, series=meeting.series)
    if form.is_valid():
        try:
            services.action_add(actor=request.user, item=item, **form.service_arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect("conferences:item_detail", meeting_id=meeting.pk, item_id=item.pk)
    return _item_page(request, meeting, item, status=400, action_form=form)


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
            _add_errors(form, error)
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
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = ReasonForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_cancel(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The action is cancelled."))
            return redirect("conferences:action_detail", action_id=action.pk)
    return _reason_page(
        request,
        form,
        title=_("Cancel the action for case %(reference)s") % {"reference": action.case.reference},
        submit=_("Cancel the action"),
        back=reverse("conferences:action_detail", args=[action.pk]),
        back_label=_("Back to the action"),
        status=400 if request.method == "POST" else 200,
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
    form = ActionForm(request.POST or None, initial=initial, series=action.series)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The action is changed."))
            return redirect("conferences:action_detail", action_id=action.pk)
    status = 400 if request.method == "POST" else 200
    context = {"action": action, "form": form}
    return render(request, "conferences/action_form.html", context, status=status)
