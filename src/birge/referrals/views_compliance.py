"""The compliance page: whether agencies answer referrals within the time they promised.
Agency leads (agency.oversee) see their own agency's rows; the coordinating body
(protocol.manage, stats.view) sees every agency. Everyone else gets a 404. The figures
are read from the read replica when there is one fit to read from (birge.web.replica)."""

from dataclasses import dataclass
from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.referrals.compliance import (
    AgencyShare,
    compliance_by_agency,
    compliance_figures,
    compliance_scope,
)
from birge.web.replica import reads_from_replica

# The bar chart's geometry (SVG user units): one horizontal bar per agency.
LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, TOP = 220, 340, 26, 22


class ComplianceForm(forms.Form):
    since = forms.DateField(
        label=_("Referrals sent since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None
    y: int
    width: float


def _chart(shares: list[AgencyShare]) -> dict:
    bars = [
        Bar(
            label=s.agency_name,
            share=s.share_in_time,
            y=TOP + i * ROW_HEIGHT,
            width=round(BAR_AREA * (s.share_in_time or 0) / 100, 1),
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


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    agency = compliance_scope(request.user)
    form = ComplianceForm(request.GET or None)
    since = None
    if form.is_valid() and form.cleaned_data["since"]:
        since = timezone.make_aware(datetime.combine(form.cleaned_data["since"], time.min))
    rows = reads_from_replica(compliance_figures)(since=since, agency=agency)
    shares = compliance_by_agency(rows)
    context = {"form": form, "rows": rows, "chart": _chart(shares), "agency": agency}
    return render(request, "referrals/compliance.html", context)
