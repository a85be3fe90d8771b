"""The validation report page: how well an instrument version's levels predicted new
incidents, for analysts (`stats.view`) and coordinators (`case.coordinate`). Aggregates
only (birge.risk.validation); everyone else gets a 404, as for a page that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.selectors import user_has_capability
from birge.cases.models import RiskLevel
from birge.risk.models import InstrumentVersion
from birge.risk.validation import (
    HORIZONS,
    CalibrationRow,
    Figure,
    HorizonReport,
    validation_report,
)

CAPABILITIES = ("stats.view", "case.coordinate")

# The bar chart's geometry (SVG user units).
CHART_WIDTH, CHART_HEIGHT = 420, 220
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 44, 12, 184
BAR_WIDTH, BAR_GAP = 64, 28


def validation_allowed(user) -> bool:
    return any(user_has_capability(user, capability) for capability in CAPABILITIES)


class ValidationForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Instrument version"),
        queryset=InstrumentVersion.objects.order_by("instrument_id", "-added_at"),
        required=False,
        empty_label=None,
    )
    horizon = forms.TypedChoiceField(
        label=_("Follow-up"),
        choices=[
            ("", _("3, 6 and 12 months")),
            ("3", _("3 months")),
            ("6", _("6 months")),
            ("12", _("12 months")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[
            ("final_level", _("As decided (with professional judgement)")),
            ("computed_level", _("As computed by the instrument")),
        ],
        required=False,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    label_x: float
    y: float
    height: float
    value_y: float  # where the bar's figure is written
    percent: float | None
    suppressed: bool


def _percent(figure: Figure) -> float | None:
    return None if figure.value is None else 100 * figure.value


def _bars(rows: tuple[CalibrationRow, ...]) -> list[Bar]:
    labels = dict(RiskLevel.choices)
    plot = PLOT_BOTTOM - PLOT_TOP
    bars = []
    for i, row in enumerate(rows):
        x = PLOT_LEFT + BAR_GAP / 2 + i * (BAR_WIDTH + BAR_GAP)
        rate = row.rate.value
        height = 0.0 if rate is None else round(plot * rate, 1)
        bars.append(
            Bar(
                label=str(labels[row.level]),
                x=x,
                label_x=x + BAR_WIDTH / 2,
                y=PLOT_BOTTOM - height,
                height=height,
                value_y=PLOT_BOTTOM - height - 4,
                percent=_percent(row.rate),
                suppressed=row.rate.suppressed,
            )
        )
    return bars


def _view_of(horizon: HorizonReport) -> dict:
    labels = dict(RiskLevel.choices)
    return {
        "report": horizon,
        "rate": _percent(horizon.rate),
        "thresholds": [
            {
                "label": labels[row.level],
                "sensitivity": _percent(row.sensitivity),
                "specificity": _percent(row.specificity),
            }
            for row in horizon.thresholds
        ],
        "calibration": [
            {"label": labels[row.level], "row": row, "rate": _percent(row.rate)}
            for row in horizon.calibration
        ],
        "bars": _bars(horizon.calibration),
    }


@login_required
@require_GET
def validation(request: HttpRequest) -> HttpResponse:
    if not validation_allowed(request.user):
        raise Http404
    form = ValidationForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    version = data.get("version") or form.fields["version"].queryset.first()
    horizons = (data["horizon"],) if data.get("horizon") else HORIZONS
    level = data.get("level") or "final_level"
    report = None
    if version is not None:
        report = validation_report(instrument_version=version, horizons=horizons, level_field=level)
    ticks = [
        {"y": PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * share / 100, "label": f"{share}%"}
        for share in (0, 25, 50, 75, 100)
    ]
    return render(
        request,
        "risk/validation.html",
        {
            "form": form,
            "version": version,
            "report": report,
            "horizons": [_view_of(h) for h in report.horizons] if report else [],
            "chart": {
                "width": CHART_WIDTH,
                "height": CHART_HEIGHT,
                "left": PLOT_LEFT,
                "right": CHART_WIDTH - 8,
                "top": PLOT_TOP,
                "bottom": PLOT_BOTTOM,
                "bar_width": BAR_WIDTH,
                "label_y": PLOT_BOTTOM + 18,
                "ticks": ticks,
            },
        },
    )
