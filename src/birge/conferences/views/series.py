"""The conference's home, its series (settings, queue, watch, planning a meeting) and
referring a case to it on professional judgement."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from birge.access.cases import case_get_for_user
from birge.agencies.selectors import user_has_capability
from birge.agencies.views import capability_required
from birge.conferences import selectors, services
from birge.conferences.forms import MeetingForm, ReferForm, SeriesForm
from birge.conferences.models import Cadence, ConferenceAction, ConferenceSeries, Meeting
from birge.conferences.services.series import FIELDS as SERIES_FIELDS
from birge.conferences.views._common import (
    CONFERENCE_CAPABILITIES,
    PLANNING,
    ReasonPage,
    _capable,
    _own_actions,
    _say,
    _with_reason,
)
from birge.web.forms import form_add_errors

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
            form_add_errors(form, error)
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
    queue = list(selectors.queue_of_series(series, viewer=user)) if is_chair else []
    watch = list(selectors.watch_of_series(series, viewer=user)) if is_chair else []
    context = {
        "series": series,
        "members": sorted(series.members.all(), key=lambda agency: agency.name),
        "is_chair": is_chair,
        "queue": queue,
        "watch": watch,
        # The cases the chair may open are links to their pages (one query for both lists).
        "openable": selectors.cases_openable(user, {r.case_id for r in queue + watch}),
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
            form_add_errors(form, error)
        else:
            messages.success(request, _("The meeting is planned. Now build its agenda."))
            return redirect("conferences:meeting_detail", meeting_id=meeting.pk)
    status = 400 if request.method == "POST" else 200
    context = {"series": series, "form": form}
    return render(request, "conferences/meeting_form.html", context, status=status)


@login_required
def queue_withdraw(request: HttpRequest, series_id: int, referral_id: int) -> HttpResponse:
    series = _series_chaired(request.user, series_id)
    referral = selectors.queue_of_series(series, viewer=request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    page = ReasonPage(
        title=_("Take case %(reference)s out of the queue")
        % {"reference": referral.case.reference},
        submit=_("Take out of the queue"),
        done=_("The case is taken out of the queue."),
        back=reverse("conferences:series_detail", args=[series.pk]),
        back_label=series.name,
    )
    return _with_reason(
        request,
        lambda reason, version: services.conference_withdraw(
            actor=request.user, referral=referral, reason=reason
        ),
        page,
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
            form_add_errors(form, error)
        else:
            messages.success(request, _("The case is in the risk conference's queue."))
            return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "series": selectors.series_for_case(case)}
    return render(request, "conferences/refer.html", context, status=status)
