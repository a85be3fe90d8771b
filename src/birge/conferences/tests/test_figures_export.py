"""A series' figures as CSV and XLSX: the published figures only (a hidden one is the
export's mark, never its value), no live formula whatever a name holds, for the figures'
readers only, each export audited; and from everything the page, the API and the
exports publish, no hidden figure can be worked out (birge.privacy.tests.solver)."""

import csv
import io
import random
import zipfile

import pytest
from django.urls import reverse

from birge.audit.models import AuditEvent
from birge.conferences.figures import figures_publish
from birge.conferences.tests.test_figures import (  # noqa: F401 - the meetings
    _raw,
    clock,
    high_risk,
    history,
)
from birge.privacy.tests.solver import Published, assert_hidden_not_recoverable


def export_url(series, extension: str) -> str:
    return reverse(f"conferences:figures_export_{extension}", args=[series.pk])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.usefixtures("history")
def test_the_csv_export_shows_what_the_page_shows_and_is_audited(browse, analyst, series, request):
    held = request.getfixturevalue("history")
    series.name_en = '=HYPERLINK("http://example.invalid","Baku")'
    series.save()

    response = browse(analyst).get(export_url(series, "csv"), {"until": held.date()})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="birge-conference-figures-{series.pk}.csv"'
    )
    rows = csv_rows(response)
    head = {row[0]: row[1] for row in rows[:5] if len(row) > 1}
    assert head["Birge"] == "Conference figures"
    assert head["Conference"] == "'" + series.name_en
    assert head["Period"].endswith(held.date().isoformat())
    lines = {row[0]: row[1] for row in rows if len(row) == 2}
    # A handful of cases at the default threshold of 10: hidden, marked, never the value.
    assert lines["Meetings held"] == "2"
    assert lines["Cases heard"] == "x"
    assert lines["Actions agreed"] == "x"
    event = AuditEvent.objects.get(action="figures.exported", actor=analyst)
    assert event.object_id == str(series.pk)
    assert event.data["report"] == "conference_figures" and event.data["format"] == "csv"


@pytest.mark.usefixtures("history")
def test_the_csv_export_with_a_low_threshold_writes_the_numbers(
    browse, analyst, series, settings, request
):
    settings.BIRGE_STATS_MIN_CELL = 0
    held = request.getfixturevalue("history")

    rows = csv_rows(browse(analyst).get(export_url(series, "csv"), {"until": held.date()}))

    lines = {row[0]: row[1] for row in rows if len(row) == 2}
    assert lines["Cases heard"] == "4"
    assert lines["Actions agreed"] == "3"


def test_the_xlsx_export_has_no_live_formula(browse, analyst, series):
    series.name_en = '=HYPERLINK("http://example.invalid","Baku")'
    series.save()

    response = browse(analyst).get(export_url(series, "xlsx"))

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml
    assert "'=HYPERLINK" in xml
    assert AuditEvent.objects.filter(action="figures.exported", data__format="xlsx").count() == 1


def test_the_figures_page_links_to_both_exports(browse, analyst, series):
    html = browse(analyst).get(reverse("conferences:figures", args=[series.pk])).content.decode()

    assert f'href="{export_url(series, "csv")}"' in html
    assert f'href="{export_url(series, "xlsx")}"' in html


@pytest.mark.parametrize(
    "who", ["coordinator", "social_worker", "officer", "outsider", "ganja_coordinator"]
)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_nobody_else_can_export(request, browse, series, who, extension):
    user = request.getfixturevalue(who)

    assert browse(user).get(export_url(series, extension)).status_code == 404
    assert not AuditEvent.objects.filter(action="figures.exported").exists()


# --- The solver ----------------------------------------------------------------------


def assert_figures_not_recoverable(raw, k: int) -> None:
    """Unknowns: the hearings per month, repeat and first-time, distinct and again, and
    the actions on time, late, overdue and not yet due. Known: every figure published
    (rates as exact ratios). Every hidden figure must still range over a whole unit."""
    shown = figures_publish(raw, min_cell=k)
    months = len(shown.by_month)
    names = ["repeat", "first", "distinct", "again", "on_time", "late", "overdue", "not_due"]
    var = {name: months + i for i, name in enumerate(names)}
    published = Published(months + len(names))
    heard = list(range(months))
    # What is true whatever the figures: each split of the cases heard adds up.
    published.difference([var["repeat"], var["first"]], heard)
    published.difference([var["distinct"], var["again"]], heard)
    sums = {
        "cases_heard": heard,
        "repeat_cases": [var["repeat"]],
        "distinct_cases": [var["distinct"]],
        "actions_agreed": [var[n] for n in ("on_time", "late", "overdue", "not_due")],
        "actions_on_time": [var["on_time"]],
        "actions_late": [var["late"]],
        "actions_overdue": [var["overdue"]],
        "actions_not_yet_due": [var["not_due"]],
        "actions_judged": [var[n] for n in ("on_time", "late", "overdue")],
        "actions_open": [var[n] for n in ("overdue", "not_due")],
    }
    hidden = []
    for name, cells in sums.items():
        figure = getattr(shown, name)
        if figure.shown:
            published.total(cells, figure.value)
        else:
            hidden.append(cells)
    for i, month in enumerate(shown.by_month):
        if month.cases_heard.shown:
            published.total([i], month.cases_heard.value)
        else:
            hidden.append([i])
    if shown.repeat_rate.shown:
        published.ratio([var["repeat"]], heard, shown.repeat_rate.value / 100)
    if shown.on_time_share.shown:
        published.ratio([var["on_time"]], sums["actions_judged"], shown.on_time_share.value / 100)
    if shown.per_10000 is not None and shown.per_10000.shown:
        published.total([var["distinct"]], shown.per_10000.value * raw.population / 10000)
    assert_hidden_not_recoverable(published, hidden, what=f"{raw}: figure of")


@pytest.mark.parametrize("k", [5, 10])
def test_no_hidden_conference_figure_can_be_solved_for(k):
    rng = random.Random(k)
    for _ in range(40):
        assert_figures_not_recoverable(_raw(rng), k)
