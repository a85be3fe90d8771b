"""The compliance page and its exports: whether agencies answer referrals within the time
they promised. Agency leads (agency.oversee) see their own agency's rows; the
coordinating body (protocol.manage, stats.view) sees every agency. Everyone else gets a
404. Small numbers are hidden (birge.referrals.compliance.compliance_publish) on the
page, in the chart, the API and the CSV and XLSX exports alike; each export is audited.
The figures are read from the read replica when there is one fit to read from
(birge.web.replica)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.models import Agency
from birge.audit.services import event_record
from birge.privacy import disclosure
from birge.referrals.compliance import (
    PublishedRow,
    PublishedShare,
    compliance_figures,
    compliance_publish,
    compliance_scope,
    shares_publish,
)
from birge.web.exports import ExportHeader, ExportTable, export_response, rounded, suppression_rule
from birge.web.forms import PeriodForm
from birge.web.replica import reads_from_replica

# The bar chart's geometry (SVG user units): one horizontal bar per agency.
LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, TOP = 220, 340, 26, 22


class ComplianceForm(PeriodForm):
    since = forms.DateField(
        label=_("Referrals sent since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Bar:
    label: str
    share: disclosure.Figure
    y: int
    width: float


def _chart(shares: list[PublishedShare]) -> dict:
    bars = [
        Bar(
            label=s.agency_name,
            share=s.share_in_time,
            y=TOP + i * ROW_HEIGHT,
            width=round(BAR_AREA * (s.share_in_time.value or 0) / 100, 1),
        )
        for i, s in enumerate(shares)
    ]
    ticks = [{"x": LABEL_WIDTH + BAR_AREA * p / 100, "label": f"{p}%"} for p in (0, 50, 100)]
    return {
        "bars": bars,
        "ticks": ticks,
        "left": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "height": TOP + ROW_HEIGHT * len(bars) + 8,
        "bar_height": ROW_HEIGHT - 8,
    }


@dataclass(frozen=True)
class Figures:
    agency: Agency | None
    since: date | None
    until: date | None
    rows: list[PublishedRow]
    shares: list[PublishedShare]
    min_cell: int


def _figures(request: HttpRequest) -> tuple[ComplianceForm, Figures]:
    """The form and the figures as they may be shown, for the page and its exports."""
    agency = compliance_scope(request.user)
    form = ComplianceForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    first, last = period.get("since"), period.get("until")
    rows = reads_from_replica(compliance_figures)(
        since=_start_of(first) if first else None,
        until=_start_of(last + timedelta(days=1)) if last else None,
        agency=agency,
    )
    k = disclosure.min_cell_default()
    whole_history = first is None and last is None
    published = compliance_publish(rows, min_cell=k, whole_history=whole_history)
    shares = shares_publish(rows, published, min_cell=k)
    return form, Figures(
        agency=agency, since=first, until=last, rows=published, shares=shares, min_cell=k
    )


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    context = {
        "form": form,
        "rows": figures.rows,
        "chart": _chart(figures.shares),
        "agency": figures.agency,
        "min_cell": figures.min_cell,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "referrals/compliance.html", context)


def export_tables(figures: Figures) -> list[ExportTable]:
    """The page's table and chart, as the page rounds them."""
    return [
        ExportTable(
            title=gettext("Referrals by receiving agency and service"),
            columns=[
                gettext("Agency"),
                gettext("Service"),
                gettext("Answered"),
                gettext("Answered within the promised time"),
                gettext("Answered or past their due time"),
                gettext("Within the promised time (%)"),
                gettext("Median response time (hours)"),
                gettext("Overdue now"),
            ],
            rows=[
                [
                    row.agency_name,
                    row.service_label,
                    row.answered,
                    row.answered_in_time,
                    row.judged,
                    rounded(row.share_in_time, 0),
                    rounded(row.median_hours, 1),
                    row.overdue,
                ]
                for row in figures.rows
            ],
        ),
        ExportTable(
            title=gettext("Answered within the promised time, by agency"),
            columns=[gettext("Agency"), gettext("Within the promised time (%)")],
            rows=[[s.agency_name, rounded(s.share_in_time, 0)] for s in figures.shares],
        ),
    ]


def _period_text(figures: Figures) -> str:
    since = figures.since.isoformat() if figures.since else None
    until = figures.until.isoformat() if figures.until else None
    if since and until:
        return gettext("Referrals sent from %(since)s to %(until)s") % {
            "since": since,
            "until": until,
        }
    if until:
        return gettext("Referrals sent up to %(until)s") % {"until": until}
    if since:
        return gettext("Referrals sent since %(since)s") % {"since": since}
    return gettext("All referrals sent")


@login_required
@require_GET
def export(request: HttpRequest, format: str) -> HttpResponse:
    _form, figures = _figures(request)
    event_record(
        action="figures.exported",
        actor=request.user,
        object_type="agency" if figures.agency else "",
        object_id=figures.agency.pk if figures.agency else "",
        data={
            "report": "referral_compliance",
            "format": format,
            "since": figures.since.isoformat() if figures.since else None,
            **({"until": figures.until.isoformat()} if figures.until else {}),
        },
    )
    period = _period_text(figures)
    filters = [(gettext("Agency"), figures.agency.name)] if figures.agency else []
    header = ExportHeader(
        title=gettext("Keeping promises"),
        period=period,
        filters=filters,
        suppression=suppression_rule(figures.min_cell),
        extracted_at=timezone.now(),
    )
    return export_response(
        format=format,
        filename="birge-promises-kept",
        header=header,
        tables=export_tables(figures),
    )
