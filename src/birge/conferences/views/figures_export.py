"""A series' figures as CSV and XLSX (birge.web.exports): the published figures only,
hidden ones marked as hidden, for whoever may see the figures page; each export is in
the audit log."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from birge.audit.services import event_record
from birge.conferences.figures import PublishedFigures
from birge.conferences.views.papers import figures_asked, figures_series
from birge.web.exports import ExportHeader, ExportTable, export_response, rounded, suppression_rule


def export_tables(numbers: PublishedFigures) -> list[ExportTable]:
    """The page's tables and charts, rounded as the page shows them."""
    lines = [
        (gettext("Meetings held"), numbers.meetings_held),
        (gettext("Cases heard"), numbers.cases_heard),
        (gettext("Repeat cases"), numbers.repeat_cases),
        (gettext("Repeat cases (%)"), rounded(numbers.repeat_rate, 0)),
        (gettext("Distinct cases"), numbers.distinct_cases),
        (gettext("Adult women of the area"), numbers.population),
        (
            gettext("Distinct cases per 10,000 adult women of the area"),
            rounded(numbers.per_10000, 2),
        ),
        (gettext("Actions agreed"), numbers.actions_agreed),
        (gettext("Done on time"), numbers.actions_on_time),
        (gettext("Done on time (%)"), rounded(numbers.on_time_share, 0)),
        (gettext("Done late"), numbers.actions_late),
        (gettext("Overdue now"), numbers.actions_overdue),
        (gettext("Open, not yet due"), numbers.actions_not_yet_due),
        (gettext("Actions done or past their due date"), numbers.actions_judged),
        (gettext("Actions open"), numbers.actions_open),
    ]
    return [
        ExportTable(
            title=gettext("Cases and actions"),
            columns=[gettext("Figure"), gettext("Value")],
            rows=[list(line) for line in lines],
        ),
        ExportTable(
            title=gettext("Meetings attended, by member agency"),
            columns=[
                gettext("Agency"),
                gettext("Meetings attended"),
                gettext("Meetings held"),
                gettext("Share (%)"),
            ],
            rows=[
                [a.agency_name, a.attended, a.held, None if a.share is None else round(a.share)]
                for a in numbers.attendance
            ],
        ),
        ExportTable(
            title=gettext("Cases heard per month"),
            columns=[gettext("Month"), gettext("Cases heard")],
            rows=[[m.month, m.cases_heard] for m in numbers.by_month],
        ),
    ]


@login_required
@require_GET
def figures_export(request: HttpRequest, series_id: int, format: str) -> HttpResponse:
    series = figures_series(request, series_id)
    _form, numbers = figures_asked(request, series)
    event_record(
        action="figures.exported",
        actor=request.user,
        object_type="conference_series",
        object_id=series.pk,
        data={
            "report": "conference_figures",
            "format": format,
            "since": numbers.since.isoformat(),
            "until": numbers.until.isoformat(),
        },
    )
    header = ExportHeader(
        title=gettext("Conference figures"),
        period=f"{numbers.since.isoformat()} – {numbers.until.isoformat()}",
        filters=[(gettext("Conference"), series.name)],
        suppression=suppression_rule(numbers.min_cell),
        extracted_at=timezone.now(),
    )
    return export_response(
        format=format,
        filename=f"birge-conference-figures-{series.pk}",
        header=header,
        tables=export_tables(numbers),
    )
