"""Promises kept, with small numbers hidden the one way every figure is
(birge.privacy.disclosure): on the page, in the chart, the API and the CSV and XLSX
exports alike; no hidden figure can be worked out from what they publish (the solver of
birge.privacy.tests.solver, on random rows); each export is audited, and nobody outside
the page's readers can take one."""

import random

import pytest
from django.test import Client

from birge.audit.models import AuditEvent
from birge.privacy.disclosure import SUPPRESSED, Figure
from birge.privacy.tests.solver import Published, assert_hidden_not_recoverable
from birge.referrals.compliance import Row, compliance_publish, shares_publish
from birge.referrals.tests.test_compliance import (  # noqa: F401 - the known set
    _known_keys,
    legal_aid,
    referrals,
    shelter,
)
from birge.web.tests.spreadsheets import csv_rows, xlsx_xml

K = 10


def row(agency=1, kind="shelter", *, a=0, b=0, c=0, d=0, e=0, median=None) -> Row:
    """A row from its atoms: answered in time (a), late (b), without a due time (c);
    past due unanswered, sent in the period (d) or before it (e)."""
    return Row(
        agency_id=agency,
        agency_name=f"Agency {agency}",
        service_kind=kind,
        service_label=kind,
        answered=a + b + c,
        answered_in_time=a,
        judged=a + b + d,
        median_hours=median if a + b + c else None,
        overdue=d + e,
    )


def test_small_counts_are_hidden_and_what_would_give_them_away():
    big = row(a=40, b=20, d=12, median=3.0)
    (shown,) = compliance_publish([big], min_cell=K)
    assert (shown.answered, shown.answered_in_time, shown.judged) == (
        Figure(60),
        Figure(40),
        Figure(72),
    )
    assert shown.share_in_time == Figure(100 * 40 / 72)
    assert shown.overdue == Figure(12)
    assert shown.suppressed == []

    # 3 late or never answered: the share and the count in time would give it away.
    (few_late,) = compliance_publish([row(a=40, d=3, median=2.0)], min_cell=K)
    assert few_late.judged == Figure(43)
    assert few_late.answered_in_time == SUPPRESSED
    assert few_late.share_in_time == SUPPRESSED
    assert few_late.overdue == SUPPRESSED

    # A handful answered: no median of a handful of answers either.
    (handful,) = compliance_publish([row(a=2, b=1, median=5.0)], min_cell=K)
    assert handful.median_hours == SUPPRESSED
    assert set(handful.suppressed) >= {"answered", "answered_in_time", "judged", "median_hours"}


def test_nothing_to_judge_is_not_a_hidden_figure():
    (empty,) = compliance_publish([row(e=12)], min_cell=K)

    assert empty.share_in_time == Figure(None) and not empty.share_in_time.suppressed
    assert empty.median_hours == Figure(None)
    assert empty.overdue == Figure(12)


def test_an_agencys_share_in_the_chart_hides_with_any_count_it_rests_on():
    rows = [row(1, "shelter", a=40, b=20), row(1, "legal_aid", a=3, b=20), row(2, a=30, b=30)]
    shares = {
        s.agency_id: s.share_in_time
        for s in shares_publish(rows, compliance_publish(rows, min_cell=K), min_cell=K)
    }

    assert shares == {1: SUPPRESSED, 2: Figure(50.0)}


# --- The solver ---------------------------------------------------------------------


ATOMS = "abcde"


def assert_rows_not_recoverable(rows: list[dict[str, int]], since: bool) -> None:
    """Unknowns: every row's five atoms (e is 0 when the figures cover all time: every
    referral past due was sent in the period). Known: every figure the page, the chart,
    the API and the exports publish, rates as exact ratios."""
    true = [row(r["agency"], f"k{i}", **{x: r[x] for x in ATOMS}) for i, r in enumerate(rows)]
    published_rows = compliance_publish(true, min_cell=K, whole_history=not since)
    shares = shares_publish(true, published_rows, min_cell=K)
    n = len(rows) * len(ATOMS)
    published = Published(n)

    def atom(i: int, name: str) -> int:
        return i * len(ATOMS) + ATOMS.index(name)

    hidden: list = []
    for i, shown in enumerate(published_rows):
        sums = {
            "answered": [atom(i, x) for x in "abc"],
            "answered_in_time": [atom(i, "a")],
            "judged": [atom(i, x) for x in "abd"],
            "overdue": [atom(i, x) for x in "de"],
        }
        for name, cells in sums.items():
            figure = getattr(shown, name)
            if figure.shown:
                published.total(cells, figure.value)
            else:
                hidden.append(cells)
        if shown.share_in_time.shown:
            published.ratio(
                sums["answered_in_time"], sums["judged"], shown.share_in_time.value / 100
            )
        if not since:
            published.total([atom(i, "e")], 0)
    for share in shares:
        if share.share_in_time.shown:
            mine = [i for i, r in enumerate(rows) if r["agency"] == share.agency_id]
            published.ratio(
                [atom(i, "a") for i in mine],
                [atom(i, x) for i in mine for x in "abd"],
                share.share_in_time.value / 100,
            )
    assert_hidden_not_recoverable(published, hidden, what=f"{rows}: figure of atoms")


def random_rows(rng: random.Random) -> list[dict[str, int]]:
    scale = rng.choice((4, 15, 40, 150))
    return [
        {"agency": rng.randrange(1, 3), **{x: int(rng.random() ** 2 * scale) for x in ATOMS}}
        for _ in range(rng.randrange(1, 5))
    ]


@pytest.mark.parametrize("since", [False, True], ids=["all-time", "since-a-date"])
def test_no_hidden_figure_of_random_rows_can_be_solved_for(since):
    rng = random.Random(since)
    for _ in range(40):
        rows = random_rows(rng)
        if not since:
            for r in rows:
                r["e"] = 0
        assert_rows_not_recoverable(rows, since)


# --- The page, the API, the exports --------------------------------------------------


@pytest.fixture
def browse(sign_in):
    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


@pytest.mark.usefixtures("referrals")
def test_the_page_and_the_api_hide_the_small_numbers_of_the_known_set(browse, api, analyst):
    html = browse(analyst).get("/referrals/compliance/").content.decode()

    assert "Baku shelter" in html
    assert "suppressed" in html
    assert '50% <span class="muted">' not in html  # 2 of 4 in time: shown only unsuppressed

    answer = api(analyst).get("/api/v1/referrals/compliance/").json()
    assert answer and all(r["answered"] is None and r["share_in_time"] is None for r in answer)
    assert all("answered" in r["suppressed"] for r in answer)


@pytest.mark.usefixtures("referrals")
def test_the_export_of_a_period_names_both_its_days(browse, analyst):
    response = browse(analyst).get(
        "/referrals/compliance/export.csv", {"since": "2026-01-01", "until": "2026-03-31"}
    )

    head = {r[0]: r[1] for r in csv_rows(response)[:5] if len(r) > 1}
    assert head["Period"] == "Referrals sent from 2026-01-01 to 2026-03-31"
    event = AuditEvent.objects.get(action="figures.exported", actor=analyst)
    assert event.data["until"] == "2026-03-31"


@pytest.mark.usefixtures("referrals")
def test_the_csv_export_is_the_page_suppressed_audited_and_safe_to_open(browse, analyst, request):
    agency = request.getfixturevalue("shelter")
    agency.name_en = '=HYPERLINK("http://example.invalid","Baku shelter")'
    agency.save()

    response = browse(analyst).get("/referrals/compliance/export.csv", {"since": "2026-01-01"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="birge-promises-kept.csv"'
    rows = csv_rows(response)
    head = {r[0]: r[1] for r in rows[:5] if len(r) > 1}
    assert head["Birge"] == "Keeping promises"
    assert head["Period"] == "Referrals sent since 2026-01-01"
    assert "counts below 10" in head["Suppression"]
    assert "Extracted" in head
    start = rows.index(["Referrals by receiving agency and service"]) + 2
    table = rows[start : rows.index([], start)]
    shelter_rows = [r for r in table if r and r[0].startswith("'=HYPERLINK")]
    assert shelter_rows and all(r[2] == "x" and r[3] == "x" for r in shelter_rows)
    event = AuditEvent.objects.get(action="figures.exported", actor=analyst)
    assert event.data == {"report": "referral_compliance", "format": "csv", "since": "2026-01-01"}


@pytest.mark.usefixtures("referrals")
def test_the_xlsx_export_has_no_live_formula(browse, analyst, request):
    agency = request.getfixturevalue("shelter")
    agency.name_en = '=HYPERLINK("http://example.invalid","Baku shelter")'
    agency.save()

    response = browse(analyst).get("/referrals/compliance/export.xlsx")

    assert response.status_code == 200
    xml = xlsx_xml(response)
    assert "<f>" not in xml
    assert "'=HYPERLINK" in xml
    assert AuditEvent.objects.filter(action="figures.exported", data__format="xlsx").count() == 1


@pytest.mark.usefixtures("referrals")
def test_the_page_links_to_both_exports(browse, analyst):
    html = browse(analyst).get("/referrals/compliance/?since=2026-01-01").content.decode()

    assert 'href="/referrals/compliance/export.csv?since=2026-01-01"' in html
    assert 'href="/referrals/compliance/export.xlsx?since=2026-01-01"' in html


@pytest.mark.parametrize("who", ["officer", "outsider", "auditor"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.usefixtures("referrals")
def test_nobody_else_can_export(browse, who, extension, request):
    response = browse(request.getfixturevalue(who)).get(f"/referrals/compliance/export.{extension}")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="figures.exported").exists()
