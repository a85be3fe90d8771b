"""The validation report page and its CSV export: how well an instrument version's
levels predicted new incidents, for analysts (`stats.view`) and coordinators
(`case.coordinate`). Aggregates only (birge.risk.validation); everyone else gets a 404,
as for a page that is not there. The exports (CSV and XLSX, birge.web.exports) are audited. The figures are read from the
read replica when there is one fit to read from (birge.web.replica)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.models import Agency, Region
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import RiskLevel
from birge.risk.engine import InstrumentError
from birge.risk.models import InstrumentVersion
from birge.risk.validation import (
    GRADES,
    HORIZONS,
    CalibrationRow,
    Estimate,
    Figure,
    GroupRow,
    HorizonReport,
    ValidationReport,
    validation_report,
)
from birge.web.exports import ExportHeader, ExportTable, export_response, suppression_rule
from birge.web.replica import reads_from_replica

CAPABILITIES = ("stats.view", "case.coordinate")

# The bar chart's geometry (SVG user units).
CHART_WIDTH, CHART_HEIGHT = 420, 220
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 44, 12, 184
BAR_WIDTH, BAR_GAP = 64, 28

GRADE_LABELS = {
    "any": _("Any new incident"),
    "violent": _("A violent incident (physical or sexual violence, a weapon)"),
    "grave": _("The gravest harm recorded (injuries, a weapon used)"),
}


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
    grade = forms.ChoiceField(
        label=_("Outcome"), choices=list(GRADE_LABELS.items()), required=False
    )
    items = forms.BooleanField(label=_("Odds ratios of the questions (slower)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The instrument's name in the reader's language, not its slug.
        self.fields["version"].label_from_instance = lambda v: (
            _("%(instrument)s, version %(version)s") % {"instrument": v.name, "version": v.version}
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
    text: str


@dataclass(frozen=True)
class Shown:
    """A figure as the page writes it: its text, its interval, or why it is not there."""

    text: str = ""
    interval: str = ""
    suppressed: bool = False
    insufficient: bool = False  # an AUC whose interval includes 0.5

    @property
    def shown(self) -> bool:
        return bool(self.text) and not self.suppressed


def _number(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def shown(figure: Figure | None, *, percent: bool = False, auc: bool = False) -> Shown:
    if figure is None or not figure.shown or figure.value is None:
        return Shown(suppressed=True)
    if not isinstance(figure, Estimate):
        return Shown(
            text=number_format(figure.value, decimal_pos=0, use_l10n=True, force_grouping=True)
        )
    scale = 100.0 if percent else 1.0
    places = figure.decimals(scale)
    unit = "%" if percent else ""
    text = _number(figure.value * scale, places) + unit
    interval = ""
    if figure.low is not None and figure.high is not None:
        interval = (
            f"{_number(figure.low * scale, places)}–{_number(figure.high * scale, places)}{unit}"
        )
    return Shown(text=text, interval=interval, insufficient=auc and figure.includes_half)


def _level_label(levels: tuple[str, ...]) -> str:
    labels = dict(RiskLevel.choices)
    if len(levels) == 1:
        return str(labels[levels[0]])
    return gettext("%(first)s to %(last)s") % {
        "first": labels[levels[0]],
        "last": str(labels[levels[-1]]).lower(),
    }


def _bars(rows: tuple[CalibrationRow, ...]) -> list[Bar]:
    plot = PLOT_BOTTOM - PLOT_TOP
    bars = []
    width = min(BAR_WIDTH, (CHART_WIDTH - PLOT_LEFT - 8) / max(len(rows), 1) - BAR_GAP)
    for i, row in enumerate(rows):
        x = PLOT_LEFT + BAR_GAP / 2 + i * (width + BAR_GAP)
        rate = row.rate.value
        height = 0.0 if rate is None else round(plot * rate, 1)
        bars.append(
            Bar(
                label=_level_label(row.levels),
                x=x,
                label_x=x + width / 2,
                y=PLOT_BOTTOM - height,
                height=height,
                value_y=PLOT_BOTTOM - height - 4,
                percent=None if rate is None else 100 * rate,
                text=shown(row.rate, percent=True).text,
            )
        )
    return bars


def _view_of(horizon: HorizonReport) -> dict:
    return {
        "report": horizon,
        "n": shown(horizon.n),
        "outcomes": shown(horizon.outcomes),
        "rate": shown(horizon.rate, percent=True),
        "auc_level": shown(horizon.auc_level, auc=True),
        "auc_score": None if horizon.auc_score is None else shown(horizon.auc_score, auc=True),
        "censored": shown(horizon.censored),
        "thresholds": [
            {
                "label": _level_label((row.level,)),
                "sensitivity": shown(row.sensitivity, percent=True),
                "specificity": shown(row.specificity, percent=True),
            }
            for row in horizon.thresholds
        ],
        "calibration": [
            {
                "label": _level_label(row.levels),
                "n": shown(row.n),
                "outcomes": shown(row.outcomes),
                "rate": shown(row.rate, percent=True),
            }
            for row in horizon.calibration
        ],
        "bars": _bars(horizon.calibration),
    }


def _groups(rows: tuple[GroupRow, ...], names: dict[int, str]) -> list[dict]:
    return sorted(
        (
            {
                "name": names.get(row.key, "—"),
                "n": shown(row.n),
                "outcomes": shown(row.outcomes),
                "rate": shown(row.rate, percent=True),
                "auc_level": shown(row.auc_level, auc=True),
            }
            for row in rows
        ),
        key=lambda row: row["name"],
    )


def _chosen(request: HttpRequest) -> tuple[ValidationForm, dict]:
    form = ValidationForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, {
        "version": data.get("version") or form.fields["version"].queryset.first(),
        "horizons": (data["horizon"],) if data.get("horizon") else HORIZONS,
        "level": data.get("level") or "final_level",
        "grade": data.get("grade") or "any",
        "items": bool(data.get("items")),
    }


def _names(report: ValidationReport) -> tuple[dict[int, str], dict[int, str]]:
    region_ids = {row.key for rows in report.by_region.values() for row in rows}
    agency_ids = {row.key for rows in report.by_agency.values() for row in rows}
    regions = {region.pk: region.name for region in Region.objects.filter(pk__in=region_ids)}
    agencies = {agency.pk: agency.name for agency in Agency.objects.filter(pk__in=agency_ids)}
    return regions, agencies


def _item_label(version: InstrumentVersion, item_id: str) -> str:
    try:
        return version.instrument.item(item_id).labels[(get_language() or "az")[:2]]
    except (InstrumentError, KeyError):  # a version that does not parse: the item's code
        return item_id


@login_required
@require_GET
def validation(request: HttpRequest) -> HttpResponse:
    if not validation_allowed(request.user):
        raise Http404
    form, chosen = _chosen(request)
    version = chosen["version"]
    report = None
    context: dict = {}
    if version is not None:
        report = reads_from_replica(validation_report)(
            instrument_version=version,
            horizons=chosen["horizons"],
            level_field=chosen["level"],
            items=chosen["items"],
        )
        regions, agencies = _names(report)
        context = {
            "horizons": [_view_of(h) for h in report.tables[chosen["grade"]]],
            "grade_label": GRADE_LABELS[chosen["grade"]],
            "grades": [
                {
                    "label": GRADE_LABELS[grade],
                    "rows": [_view_of(h) for h in report.tables[grade]],
                }
                for grade in GRADES
            ],
            "by_region": [
                {"months": months, "rows": _groups(rows, regions)}
                for months, rows in report.by_region.items()
            ],
            "by_agency": [
                {"months": months, "rows": _groups(rows, agencies)}
                for months, rows in report.by_agency.items()
            ],
            "odds": [
                {
                    "label": _item_label(version, row.item),
                    "odds": [shown(odds) for odds in row.odds],
                }
                for row in report.odds
            ]
            if report.odds is not None
            else None,
            "months": [h.months for h in report.horizons],
            "export_query": request.GET.urlencode(),
        }
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
            **context,
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


# Measures the page shows as percentages; the export writes them so, rounded as there.
PERCENT = frozenset({"rate", "sensitivity", "specificity"})


def _cells(figure: Figure | None, measure: str) -> list[object]:
    """value, low, high — as the page rounds them (percent for rates); a hidden figure
    is the export's mark, an absent one empty."""
    if figure is None or (figure.value is None and not figure.suppressed):
        return [None, None, None]
    if figure.suppressed:
        return [figure, None, None]
    if not isinstance(figure, Estimate):
        return [figure, None, None]
    scale = 100.0 if measure in PERCENT else 1.0
    places = figure.decimals(scale)

    def shown_as(value: float | None) -> float | None:
        return None if value is None else round(value * scale, places)

    return [shown_as(figure.value), shown_as(figure.low), shown_as(figure.high)]


def export_table(report: ValidationReport) -> ExportTable:
    """The report in long form: one line per figure."""
    regions, agencies = _names(report)
    rows: list[list[object]] = []

    def add(section: str, months: int, grade: str, group: str, measure: str, figure) -> None:
        unit = "%" if measure in PERCENT else ""
        rows.append([section, months, grade, group, measure, unit, *_cells(figure, measure)])

    for grade, tables in report.tables.items():
        for h in tables:
            for measure in ("n", "outcomes", "rate", "auc_level", "auc_score", "censored"):
                add("overall", h.months, grade, "", measure, getattr(h, measure))
            for row in h.thresholds:
                add("threshold", h.months, grade, row.level, "sensitivity", row.sensitivity)
                add("threshold", h.months, grade, row.level, "specificity", row.specificity)
            for row in h.calibration:
                group = "+".join(row.levels)
                for measure in ("n", "outcomes", "rate"):
                    add("level", h.months, grade, group, measure, getattr(row, measure))
    for section, breakdown, names in (
        ("region", report.by_region, regions),
        ("agency", report.by_agency, agencies),
    ):
        for months, group_rows in breakdown.items():
            for row in group_rows:
                for measure in ("n", "outcomes", "rate", "auc_level"):
                    add(
                        section,
                        months,
                        "any",
                        names.get(row.key, ""),
                        measure,
                        getattr(row, measure),
                    )
    if report.odds is not None:
        for odds_row in report.odds:
            for months, odds in zip(
                [h.months for h in report.horizons], odds_row.odds, strict=True
            ):
                add("item", months, "any", odds_row.item, "odds_ratio", odds)
    return ExportTable(
        title=gettext("Validation against outcomes"),
        columns=[
            "section",
            "months",
            "outcome",
            "group",
            "measure",
            "unit",
            "value",
            "low",
            "high",
        ],
        rows=rows,
    )


def export_header(report: ValidationReport, version: InstrumentVersion) -> ExportHeader:
    level_labels = dict(ValidationForm.base_fields["level"].choices)
    return ExportHeader(
        title=gettext("Birge validation report (aggregates only)"),
        period=gettext("Follow-up: %(months)s months")
        % {"months": ", ".join(str(h.months) for h in report.horizons)},
        filters=[
            (gettext("Instrument version"), str(version)),
            (gettext("Level"), str(level_labels.get(report.level_field, report.level_field))),
            (
                gettext("Intervals"),
                gettext("95%%, cluster bootstrap over cases, %(b)s replicates")
                % {"b": report.replicates},
            ),
        ],
        suppression=suppression_rule(report.min_cell)
        + " "
        + gettext(
            "levels with fewer than %(n)s outcomes or non-outcomes reported together "
            "with their neighbour; regions and agencies below %(n)s hidden with their "
            "complements; odds ratios with a cell below %(n)s hidden"
        )
        % {"n": report.min_cell},
        extracted_at=report.now,
    )


@login_required
@require_GET
def export(request: HttpRequest, format: str = "csv") -> HttpResponse:
    if not validation_allowed(request.user):
        raise Http404
    _form, chosen = _chosen(request)
    version = chosen["version"]
    if version is None:
        raise Http404
    report = reads_from_replica(validation_report)(
        instrument_version=version,
        horizons=chosen["horizons"],
        level_field=chosen["level"],
        items=True,
    )
    event_record(
        action="figures.exported",
        actor=request.user,
        object_type="instrument_version",
        object_id=version.pk,
        data={
            "report": "risk_validation",
            "format": format,
            "level": chosen["level"],
            "horizons": list(chosen["horizons"]),
        },
    )
    return export_response(
        format=format,
        filename="birge-validation",
        header=export_header(report, version),
        tables=[export_table(report)],
    )
