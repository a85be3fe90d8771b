"""The statistics page and its exports (CSV, XLSX), for analysts of the coordinating body
(national) and agency leads (their agency's cases); slices of the protected publication
(birge.reports.statistics), read from the replica when one is fit."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.models import Agency
from birge.audit.services import event_record
from birge.conferences.selectors import figures_visible, series_visible_to
from birge.privacy.disclosure import Figure
from birge.reports.selectors import statistics_scope
from birge.reports.statistics import (
    ALL,
    TABLES,
    Period,
    Publication,
    TableSlice,
    periods,
    publication_for,
    region_names,
    regions_slice,
    table_slice,
)
from birge.web.charts import bar_chart
from birge.web.exports import ExportHeader, ExportTable, export_response, suppression_rule
from birge.web.replica import reads_from_replica


class StatisticsForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False)

    def __init__(self, *args, publication: Publication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, period_label(p)) for p in periods(publication)]
        names = region_names(publication)
        self.fields["region"].choices = [(ALL, _("All regions"))] + [
            (pk, names[pk]) for pk in publication.regions
        ]


def period_label(period: Period) -> str:
    if period.quarter:
        return gettext("%(year)s, quarter %(quarter)s") % {
            "year": period.year,
            "quarter": period.quarter,
        }
    return str(period.year)


def chosen(request: HttpRequest, publication: Publication) -> tuple[StatisticsForm, Period, int]:
    """The period and region asked for; the newest year and all regions otherwise."""
    form = StatisticsForm(request.GET or None, publication=publication)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    choices = periods(publication)
    period = Period.parse(data.get("period") or "") or (
        choices[0] if choices else Period(timezone.localdate().year)
    )
    return form, period, data.get("region") or ALL


def text_of(figure: Figure) -> str:
    return (
        str(int(figure.value))
        if figure.shown and figure.value is not None
        else gettext("suppressed")
    )


def _chart(table: TableSlice) -> dict:
    rows = [
        (row.label, row.figure.value if row.figure.shown else None, text_of(row.figure))
        for row in table.rows
    ]
    most = max((value for _label, value, _text in rows if value is not None), default=0)
    return bar_chart(rows, most=most)


def _scope_label(scope: int | None) -> str:
    if scope is None:
        return gettext("The whole country")
    agency = Agency.objects.filter(pk=scope).first()
    return gettext("Cases opened by %(agency)s") % {"agency": agency.name if agency else scope}


def period_links(request: HttpRequest, period: Period, region: int) -> dict:
    """The promises kept and the figures of each conference series she may see (of the
    region chosen), over the period's days: they count by the day a referral was sent, a
    meeting held, and hide small numbers the same way."""
    days = urlencode({"since": period.first_day.isoformat(), "until": period.last_day.isoformat()})
    visible = series_visible_to(request.user)
    if region != ALL:
        visible = visible.filter(region_id=region)
    series = [
        (item.name, reverse("conferences:figures", args=[item.pk]) + "?" + days)
        for item in visible
        if figures_visible(user=request.user, series=item)
    ]
    return {"compliance": reverse("referrals_compliance:table") + "?" + days, "series": series}


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    scope = statistics_scope(request.user)
    publication = reads_from_replica(publication_for)(agency_id=scope)
    form, period, region = chosen(request, publication)
    names = region_names(publication)
    tables = [table_slice(publication, spec.code, period, region) for spec in TABLES]
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "publication": publication,
            "scope_label": _scope_label(scope),
            "period_label": period_label(period),
            "region_label": names.get(region, gettext("All regions")),
            "tables": [{"table": table, "chart": _chart(table)} for table in tables],
            "regions": (
                [(names[pk], figure) for pk, figure in regions_slice(publication, period)]
                if region == ALL
                else []
            ),
            "query": request.GET.urlencode(),
            "links": period_links(request, period, region),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, format: str) -> HttpResponse:
    if format not in ("csv", "xlsx"):
        raise Http404
    scope = statistics_scope(request.user)
    publication = reads_from_replica(publication_for)(agency_id=scope)
    _form, period, region = chosen(request, publication)
    names = region_names(publication)
    tables = [
        ExportTable(
            title=str(table.spec.title),
            columns=[gettext("Category"), gettext("Cases")],
            rows=[
                *[(row.label, row.figure) for row in table.rows],
                *([(gettext("Total"), table.total)] if table.total is not None else []),
                *([(gettext("Median days"), table.median)] if table.median is not None else []),
            ],
        )
        for table in (table_slice(publication, spec.code, period, region) for spec in TABLES)
    ]
    if region == ALL:
        tables.append(
            ExportTable(
                title=gettext("Cases opened, by region"),
                columns=[gettext("Region"), gettext("Cases")],
                rows=[(names[pk], figure) for pk, figure in regions_slice(publication, period)],
            )
        )
    event_record(
        action="figures.exported",
        actor=request.user,
        object_type="statistics",
        object_id=scope or "",
        data={"report": "statistics", "format": format, "period": period.code, "region": region},
    )
    header = ExportHeader(
        title=gettext("National statistics"),
        period=period_label(period),
        filters=[
            (gettext("Cases"), _scope_label(scope)),
            (gettext("Region"), names.get(region, gettext("All regions"))),
            (
                gettext("Figures as of"),
                timezone.localtime(publication.as_of).isoformat(timespec="minutes")
                if publication.as_of
                else "—",
            ),
        ],
        suppression=suppression_rule(publication.min_cell),
        extracted_at=timezone.now(),
    )
    return export_response(
        format=format, filename=f"birge-statistics-{period.code}", header=header, tables=tables
    )
