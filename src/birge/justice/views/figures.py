"""The accountability figures page: the coordinating body's (national, by region) and an
agency lead's (her agency's records). Aggregates only, read from the read replica when
there is one fit to read from (birge.web.replica)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from birge.agencies.models import Region
from birge.conferences.views.papers import FiguresForm
from birge.justice.figures import figures_scope, published_accountability
from birge.web.charts import bar_chart, percent_ticks
from birge.web.replica import reads_from_replica


class AccountabilityForm(FiguresForm):
    """The conference figures' period, from any record's date, and a region."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].label = _("From")


def _rows(figures, names: list[tuple[str, str]]) -> list[tuple[str, float | None, str]]:
    hidden = gettext("suppressed")
    rows = []
    for name, label in names:
        cell = getattr(figures, name)
        rows.append((label, cell.value, hidden if cell.value is None else f"{cell.value:.0f}"))
    return rows


@login_required
@require_GET
def accountability(request: HttpRequest) -> HttpResponse:
    agency = figures_scope(request.user)
    form = AccountabilityForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    published = reads_from_replica(published_accountability)(
        agency=agency,
        region=period.get("region"),
        since=period.get("since"),
        until=period.get("until"),
    )
    f = published.figures
    attrition = _rows(
        f,
        [
            ("complaints", gettext("Complaints")),
            ("charged", gettext("Charged")),
            ("convicted", gettext("Convicted")),
        ],
    )
    orders = _rows(
        f,
        [
            ("orders_applied", gettext("Orders applied for")),
            ("orders_issued", gettext("Orders issued")),
            ("orders_served", gettext("Orders served")),
            ("orders_breached", gettext("Orders breached")),
        ],
    )
    context = {
        "form": form,
        "agency": agency,
        "published": published,
        "f": f,
        "attrition_chart": bar_chart(
            attrition, most=max((v for _l, v, _t in attrition if v is not None), default=0)
        ),
        "orders_chart": bar_chart(
            orders, most=max((v for _l, v, _t in orders if v is not None), default=0)
        ),
        "rates_chart": bar_chart(
            [
                (
                    label,
                    cell.value,
                    gettext("suppressed") if cell.value is None else f"{cell.value:.0f}%",
                )
                for label, cell in (
                    (gettext("Breaches sanctioned"), f.sanctioned_rate),
                    (gettext("Complaints charged"), f.charge_rate),
                    (gettext("Charged and convicted"), f.conviction_rate),
                    (gettext("Programmes completed"), f.completion_rate),
                )
            ],
            most=100,
        ),
        "ticks": percent_ticks(),
    }
    return render(request, "justice/figures/accountability.html", context)
