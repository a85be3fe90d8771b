"""The minutes of a meeting (a printable page and a PDF) and a series' figures.

The minutes are for the meeting's attendees only, once it has sat: to anyone else, and
for a meeting planned or cancelled, they do not exist (404). Every copy taken is in the
audit log, and carries the name of whoever took it. The figures (aggregates, no person)
are for those birge.conferences.selectors.figures_visible names, read from the read
replica when there is one fit to read from (birge.web.replica).
"""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birge.audit.services import event_record
from birge.conferences import selectors
from birge.conferences.figures import PublishedFigures, published_figures
from birge.conferences.minutes import minutes_document
from birge.conferences.minutes_pdf import minutes_pdf
from birge.conferences.models import ConferenceSeries, Meeting
from birge.web.charts import bar_chart, percent_ticks
from birge.web.forms import PeriodForm
from birge.web.replica import reads_from_replica

LANGUAGES = ("az", "ru", "en")


# --- The minutes ----------------------------------------------------------------------


def _language(request: HttpRequest) -> str:
    """?lang=az|ru|en; otherwise (or for anything else) the page's own language."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    current = (translation.get_language() or "az")[:2]
    return current if current in LANGUAGES else "az"


def _meeting_with_minutes(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting_id)
    if meeting.status not in (Meeting.Status.IN_SESSION, Meeting.Status.CLOSED):
        raise Http404
    if not selectors.may_see_discussion(user=request.user, meeting=meeting):
        raise Http404
    return meeting


def _record(request: HttpRequest, meeting: Meeting, *, format: str, language: str) -> None:
    event_record(
        action="conference.minutes_downloaded",
        actor=request.user,
        object_type="meeting",
        object_id=meeting.pk,
        data={"format": format, "language": language},
    )


@login_required
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_with_minutes(request, meeting_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    language = _language(request)
    document = minutes_document(meeting, language=language, viewer=request.user)
    _record(request, meeting, format="html", language=language)
    context = {"minutes": document, "meeting": meeting, "languages": LANGUAGES}
    with translation.override(language):
        return render(request, "conferences/minutes.html", context)


@login_required
def minutes_pdf_download(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_with_minutes(request, meeting_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    language = _language(request)
    document = minutes_document(meeting, language=language, viewer=request.user)
    _record(request, meeting, format="pdf", language=language)
    response = HttpResponse(minutes_pdf(document), content_type="application/pdf")
    # The meeting's number and date only: no name of a case, a person or a place.
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}-{day}.pdf"'
    return response


# --- The figures ----------------------------------------------------------------------


class FiguresForm(PeriodForm):
    since = forms.DateField(
        label=_("Meetings from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def open_end(self) -> date | None:
        return timezone.localdate()


def figures_series(request: HttpRequest, series_id: int) -> ConferenceSeries:
    """The series whose figures she may see; a 404 otherwise."""
    series = selectors.series_get_for_user(user=request.user, series_id=series_id)
    if not selectors.figures_visible(user=request.user, series=series):
        raise Http404
    return series


def figures_asked(
    request: HttpRequest, series: ConferenceSeries
) -> tuple[FiguresForm, PublishedFigures]:
    """The period asked for (a bad one: the default) and the figures as they may be shown."""
    form = FiguresForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    numbers = reads_from_replica(published_figures)(
        series, since=period.get("since"), until=period.get("until")
    )
    return form, numbers


@login_required
def figures(request: HttpRequest, series_id: int) -> HttpResponse:
    series = figures_series(request, series_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    form, numbers = figures_asked(request, series)
    attendance = bar_chart(
        [(a.agency_name, a.share, _share(a.share)) for a in numbers.attendance], most=100
    )
    hidden = gettext("suppressed")
    months = [(m.month, m.cases_heard.value) for m in numbers.by_month]
    heard = bar_chart(
        [(month, n, hidden if n is None else f"{n:.0f}") for month, n in months],
        most=max((n for _month, n in months if n is not None), default=0),
    )
    context = {
        "series": series,
        "form": form,
        "figures": numbers,
        "attendance_chart": attendance,
        "month_chart": heard,
        "ticks": percent_ticks(),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "conferences/figures.html", context)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"
