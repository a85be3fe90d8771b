"""The accountability figures page and its CSV and XLSX exports: the coordinating body's
(national, by region) and an agency lead's (her agency's records). Aggregates only, read
from the read replica when there is one fit to read from (birge.web.replica); the exports
carry exactly what the page shows, and each is audited."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.models import Region
from birge.audit.services import event_record
from birge.conferences.views.papers import FiguresForm
from birge.justice.figures import (
    REGION_COLUMNS,
    PublishedAccountability,
    figures_scope,
    published_accountability,
)
from birge.web.charts import bar_chart, percent_ticks
from birge.web.exports import ExportHeader, ExportTable, export_response, rounded, suppression_rule
from birge.web.replica import reads_from_replica

# The figures as the page and the exports name them: counts, then shares (percent).
COUNTS = {
    "orders_applied": _("Orders applied for"),
    "orders_issued": _("Orders issued"),
    "orders_served": _("Orders served"),
    "orders_breached": _("Orders breached"),
    "breaches": _("Breaches"),
    "breaches_sanctioned": _("Breaches sanctioned"),
    "complaints": _("Complaints"),
    "charged": _("Charged"),
    "convicted": _("Convicted"),
    "programmes_referred": _("Programme referrals"),
    "programmes_completed": _("Programmes completed"),
    "programmes_dropped_out": _("Dropped out"),
    "programmes_not_started": _("Did not start"),
    "programmes_ongoing": _("Still running"),
}
SHARES = {
    "sanctioned_rate": _("Breaches sanctioned"),
    "charge_rate": _("Complaints charged"),
    "conviction_rate": _("Charged and convicted"),
    "completion_rate": _("Programmes completed"),
}


class AccountabilityForm(FiguresForm):
    """The conference figures' period, from any record's date, and a region."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].label = _("From")


def _published(request: HttpRequest) -> tuple[AccountabilityForm, PublishedAccountability]:
    """The form and the figures as they may be shown, for the page and its exports."""
    agency = figures_scope(request.user)
    form = AccountabilityForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    published = reads_from_replica(published_accountability)(
        agency=agency,
        region=period.get("region"),
        since=period.get("since"),
        until=period.get("until"),
    )
    return form, published


def _count_chart(figures, names: list[str]) -> dict:
    hidden = gettext("suppressed")
    rows = [
        (
            str(COUNTS[name]),
            getattr(figures, name).value,
            hidden
            if getattr(figures, name).value is None
            else f"{getattr(figures, name).value:.0f}",
        )
        for name in names
    ]
    return bar_chart(rows, most=max((v for _l, v, _t in rows if v is not None), default=0))


@login_required
@require_GET
def accountability(request: HttpRequest) -> HttpResponse:
    form, published = _published(request)
    f = published.figures
    hidden = gettext("suppressed")
    shares = [
        (
            str(label),
            getattr(f, name).value,
            hidden if getattr(f, name).value is None else f"{getattr(f, name).value:.0f}%",
        )
        for name, label in SHARES.items()
    ]
    context = {
        "form": form,
        "agency": figures_scope(request.user),
        "published": published,
        "f": f,
        "orders_chart": _count_chart(
            f, ["orders_applied", "orders_issued", "orders_served", "orders_breached"]
        ),
        "attrition_chart": _count_chart(f, ["complaints", "charged", "convicted"]),
        "rates_chart": bar_chart(shares, most=100),
        "ticks": percent_ticks(),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "justice/figures/accountability.html", context)


def export_tables(published: PublishedAccountability) -> list[ExportTable]:
    """The page's tables, as the page rounds them."""
    f = published.figures
    tables = [
        ExportTable(
            title=gettext("Accountability figures"),
            columns=[gettext("Figure"), gettext("Value")],
            rows=[
                *[[str(label), getattr(f, name)] for name, label in COUNTS.items()],
                [gettext("Days from incident to order (median)"), rounded(f.days_to_order, 0)],
                *[[f"{label} (%)", rounded(getattr(f, name), 0)] for name, label in SHARES.items()],
            ],
        )
    ]
    if published.regions:
        tables.append(
            ExportTable(
                title=gettext("By region"),
                columns=[gettext("Region"), *[str(COUNTS[c]) for c in REGION_COLUMNS]],
                rows=[
                    [row.region_name, *[row.cells[c] for c in REGION_COLUMNS]]
                    for row in published.regions
                ],
            )
        )
    return tables


@login_required
@require_GET
def export(request: HttpRequest, format: str) -> HttpResponse:
    form, published = _published(request)
    agency = figures_scope(request.user)
    event_record(
        action="figures.exported",
        actor=request.user,
        object_type="agency" if agency else "",
        object_id=agency.pk if agency else "",
        data={
            "report": "justice_accountability",
            "format": format,
            "since": published.since.isoformat(),
            "until": published.until.isoformat(),
            "region": published.region_id,
        },
    )
    filters = [(gettext("Agency"), agency.name)] if agency else []
    region = form.cleaned_data.get("region") if form.is_valid() else None
    if region is not None:
        filters.append((gettext("Region"), region.name))
    header = ExportHeader(
        title=gettext("Accountability figures"),
        period=f"{published.since.isoformat()} – {published.until.isoformat()}",
        filters=filters,
        suppression=suppression_rule(published.min_cell),
        extracted_at=timezone.now(),
    )
    return export_response(
        format=format,
        filename="birge-accountability",
        header=header,
        tables=export_tables(published),
    )
