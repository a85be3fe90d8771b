"""The accountability figures: each count against the records it counts, who sees which
records (the coordinating body every agency's, by region; an agency lead her agency's;
nobody else anything), small numbers hidden, the same over the API.

The records: in Baku (the Baku police's case), three orders applied for in the period and
one before it, two issued, one served, two breaches of one order (one sanctioned), four
proceedings (two charged, one convicted), four programme referrals; in Ganja (the Ganja
police's case), one order the Ganja court issued."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, RegionFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.cases.models import Incident
from birge.cases.tests.factories import register_case
from birge.justice.figures import accountability_figures, published_accountability
from birge.justice.models import (
    OrderBreach,
    Proceeding,
    ProceedingStage,
    ProgrammeReferral,
    ProtectionOrder,
)


def _days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def ganja(db):
    return RegionFactory(code="ganja", name_az="Gəncə", name_en="Ganja", name_ru="Гянджа")


@pytest.fixture
def ganja_police(ganja):
    return AgencyFactory(code="police-ganja-2", kind="police", region=ganja)


@pytest.fixture
def records(officer, police, ganja_police):
    """The records of the module's docstring."""
    case = register_case(officer)  # its incident: 3 days ago
    him = case.participants.get(part="perpetrator").person

    def order(**fields):
        return ProtectionOrder.objects.create(
            case=case,
            perpetrator=him,
            order_type="short_term",
            issuing_agency=police,
            recorded_by=officer,
            **fields,
        )

    served = order(
        applied_on=_days_ago(2),
        issued_on=_days_ago(1),
        served_at=timezone.now(),
        status=ProtectionOrder.Status.IN_FORCE,
    )
    order(applied_on=_days_ago(2), status=ProtectionOrder.Status.REFUSED)
    order(applied_on=_days_ago(1), issued_on=_days_ago(0), status=ProtectionOrder.Status.ISSUED)
    order(applied_on=_days_ago(400), issued_on=_days_ago(399))
    for sanction in (OrderBreach.Sanction.FINE, OrderBreach.Sanction.PENDING):
        incident = Incident.objects.create(
            case=case, occurred_on=_days_ago(1), reporting_agency=police, recorded_by=officer
        )
        OrderBreach.objects.create(
            order=served, incident=incident, sanction=sanction, recorded_by=officer
        )
    for stage, outcome, stages in (
        (Proceeding.Stage.OUTCOME, Proceeding.Outcome.CONVICTION, ["charge", "trial"]),
        (Proceeding.Stage.INVESTIGATION, "", []),
        (Proceeding.Stage.TRIAL, "", ["charge", "trial"]),
        (Proceeding.Stage.OUTCOME, Proceeding.Outcome.DISMISSAL, ["investigation"]),
    ):
        proceeding = Proceeding.objects.create(
            case=case,
            perpetrator=him,
            kind=Proceeding.Kind.CRIMINAL,
            stage=stage,
            outcome=outcome,
            agency=police,
            opened_on=_days_ago(10),
            recorded_by=officer,
        )
        for name in stages:
            ProceedingStage.objects.create(
                proceeding=proceeding,
                stage=name,
                began_on=_days_ago(5),
                agency=police,
                recorded_by=officer,
            )
    for status in ("completed", "dropped_out", "attending", "declined"):
        ProgrammeReferral.objects.create(
            case=case,
            perpetrator=him,
            provider=police,
            status=status,
            referred_on=_days_ago(20),
            referred_by=officer,
        )
    ganja_officer = UserFactory(agency=ganja_police, roles=["frontline_officer"])
    theirs = register_case(ganja_officer)
    ProtectionOrder.objects.create(
        case=theirs,
        perpetrator=theirs.participants.get(part="perpetrator").person,
        order_type="short_term",
        issuing_agency=ganja_police,
        recorded_by=ganja_officer,
        applied_on=_days_ago(3),
        issued_on=_days_ago(3),
    )
    return case


def test_each_figure_is_the_count_of_its_records(records, police, ganja):
    figures = accountability_figures()
    t = figures.total
    assert (t.orders_applied, t.orders_issued, t.orders_served) == (4, 3, 1)
    assert (t.orders_breached, t.breaches, t.breaches_sanctioned) == (1, 2, 1)
    # Incident 3 days ago: issued 1 day ago and today; Ganja's on its incident's day + 0.
    assert sorted(t.days_to_order) == sorted([2, 3, 0])
    assert (t.complaints, t.charged, t.convicted) == (4, 2, 1)
    assert (t.programmes_referred, t.programmes_completed) == (4, 1)
    assert (t.programmes_dropped_out, t.programmes_not_started, t.programmes_ongoing) == (1, 1, 1)
    by_region = {figures.regions[r].orders_applied for r in figures.regions}
    assert by_region == {3, 1}
    assert figures.regions[ganja.pk].complaints == 0


def test_an_agency_counts_its_own_records_only(records, police, ganja_police):
    assert accountability_figures(agency=police).total.orders_issued == 2
    theirs = accountability_figures(agency=ganja_police).total
    assert (theirs.orders_issued, theirs.complaints, theirs.programmes_referred) == (1, 0, 0)


def test_a_period_counts_by_each_records_own_date(records):
    old = accountability_figures(since=_days_ago(500), until=_days_ago(300)).total
    assert (old.orders_applied, old.orders_issued, old.breaches, old.complaints) == (1, 1, 0, 0)


def test_small_numbers_are_hidden(records):
    published = published_accountability(min_cell=10)
    assert not published.figures.orders_applied.shown
    assert published.figures.orders_applied.value is None
    assert "orders_applied" in published.suppressed
    shown = published_accountability(min_cell=1).figures
    assert shown.orders_applied.value == 4
    assert shown.charged.value == 2 and shown.convicted.value == 1


def test_the_coordinating_body_sees_the_country_by_region(browse, analyst, records, settings):
    settings.BIRGE_STATS_MIN_CELL = 1
    html = browse(analyst).get("/justice/figures/").content.decode()
    assert "Accountability figures" in html
    assert 'data-figure="orders_applied"><th scope="row">Orders applied for</th><td>4<' in html
    assert "By region" in html and "Ganja" in html


def test_by_default_small_numbers_show_as_suppressed(browse, analyst, records):
    html = browse(analyst).get("/justice/figures/").content.decode()
    assert "suppressed" in html
    assert "<td>4<" not in html


def test_an_agency_lead_sees_her_agencys_records(browse, lead, records, settings):
    settings.BIRGE_STATS_MIN_CELL = 1
    html = browse(lead).get("/justice/figures/").content.decode()
    assert 'data-figure="orders_issued"><th scope="row">Orders issued</th><td>2<' in html
    assert "By region" not in html


@pytest.mark.parametrize("who", ["officer", "coordinator", "outsider", "auditor"])
def test_nobody_else_sees_the_figures(request, browse, api, records, who):
    user = request.getfixturevalue(who)
    assert browse(user).get("/justice/figures/").status_code == 404
    assert api(user).get("/api/v1/justice/figures/").status_code == 404


def test_a_region_shows_that_regions_figures(browse, analyst, records, ganja, settings):
    settings.BIRGE_STATS_MIN_CELL = 1
    answer = browse(analyst).get("/justice/figures/", {"region": ganja.pk})
    assert answer.status_code == 200
    assert 'data-figure="orders_issued"><th scope="row">Orders issued</th><td>1<' in (
        answer.content.decode()
    )


def test_bad_dates_get_field_messages_not_an_error(browse, api, analyst, records):
    page = browse(analyst).get("/justice/figures/", {"since": "2026-13-45", "until": "x"})
    assert page.status_code == 200
    assert "Enter a valid date" in page.content.decode()
    answer = api(analyst).get(
        "/api/v1/justice/figures/", {"since": "2026-05-01", "until": "2026-01-01"}
    )
    assert answer.status_code == 400
    assert "The period starts after it ends." in str(answer.json())


def test_the_api_gives_the_same_figures(api, analyst, records, settings):
    settings.BIRGE_STATS_MIN_CELL = 1
    answer = api(analyst).get("/api/v1/justice/figures/").json()
    assert answer["figures"]["orders_applied"] == 4
    assert answer["figures"]["complaints"] == 4
    assert answer["agency"] is None
    assert len(answer["regions"]) == 2
    hidden = api(analyst).get("/api/v1/justice/figures/").json()
    assert hidden["min_cell"] == 1


def test_the_api_hides_small_numbers(api, analyst, records):
    answer = api(analyst).get("/api/v1/justice/figures/").json()
    assert answer["figures"]["orders_applied"] is None
    assert "orders_applied" in answer["suppressed"]


# --- Exports ----------------------------------------------------------------------------


def test_the_csv_export_is_the_page_audited(browse, analyst, records, ganja):
    answer = browse(analyst).get("/justice/figures/export.csv", {"region": ganja.pk})
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="birge-accountability.csv"'
    text = answer.content.decode("utf-8-sig")
    assert "Accountability figures" in text and "Ganja" in text
    # Small numbers are the export's mark, never their value.
    assert "Orders applied for,x" in text
    event = AuditEvent.objects.get(action="figures.exported")
    assert event.data["report"] == "justice_accountability"
    assert event.data["format"] == "csv" and event.data["region"] == ganja.pk


def test_the_xlsx_export_opens(browse, lead, records):
    answer = browse(lead).get("/justice/figures/export.xlsx")
    assert answer.status_code == 200
    assert answer.content[:2] == b"PK"


@pytest.mark.parametrize("who", ["officer", "outsider"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_nobody_else_exports_the_figures(request, browse, records, who, fmt):
    user = request.getfixturevalue(who)
    assert browse(user).get(f"/justice/figures/export.{fmt}").status_code == 404
    assert not AuditEvent.objects.filter(action="figures.exported").exists()


def test_the_page_makes_as_many_queries_with_more_records(browse, analyst, records, officer):
    client = browse(analyst)
    client.get("/justice/figures/")
    with CaptureQueriesContext(connection) as few:
        client.get("/justice/figures/")
    for _ in range(3):
        register_case(officer)
    with CaptureQueriesContext(connection) as more:
        client.get("/justice/figures/")
    assert len(more) == len(few)
