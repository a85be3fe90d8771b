"""The number of queries a page makes does not grow with the data on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.cases import services
from birge.cases.tests.factories import (
    IncidentDataFactory,
    VictimDataFactory,
    consent_for,
    register_case,
)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _cases(officer, coordinator, number):
    # Both kinds: with a named coordinator and without one.
    # Every victim is an Əliyeva, so that the search finds the cases in both runs.
    return [
        register_case(coordinator if n % 2 else officer, victim={"last_name": "Əliyeva"})
        for n in range(number)
    ]


@pytest.mark.parametrize("query", ["", "?scope=mine", "?q=Əliyeva", "?status=open"])
def test_the_case_list_makes_as_many_queries_for_30_cases_as_for_3(
    browse, officer, coordinator, query
):
    client = browse(coordinator)
    few = _cases(officer, coordinator, 3)
    client.get(f"/cases/{query}")  # warm the session

    with_3 = _queries(client, f"/cases/{query}")
    many = few + _cases(officer, coordinator, 27)
    with_30 = _queries(client, f"/cases/{query}")

    assert with_30 == with_3
    if not query:
        page = client.get("/cases/").content.decode()
        assert all(case.reference in page for case in many)


def test_the_case_page_makes_as_many_queries_for_5_incidents_as_for_1(
    browse, officer, coordinator, shelter
):
    case = register_case(officer, consent=consent_for(shelter))
    services.case_share(actor=officer, case=case, agency=shelter)
    client = browse(coordinator)
    client.get(f"/cases/{case.pk}/")  # warm the session

    with_1 = _queries(client, f"/cases/{case.pk}/")
    for _ in range(4):
        services.incident_record(actor=officer, case=case, data=IncidentDataFactory())
    with_5 = _queries(client, f"/cases/{case.pk}/")

    assert case.incidents.count() == 5
    assert with_5 == with_1


def test_the_print_page_makes_as_many_queries_for_5_incidents_as_for_1(browse, officer, case):
    client = browse(officer)
    client.get(f"/cases/{case.pk}/print/")

    with_1 = _queries(client, f"/cases/{case.pk}/print/")
    for _ in range(4):
        services.incident_record(actor=officer, case=case, data=IncidentDataFactory())
    with_5 = _queries(client, f"/cases/{case.pk}/print/")

    assert with_5 == with_1


# --- Budgets: what a page may cost, whatever the data ------------------------------------
# The per-request part (session, user with her agency, second factor, roles, grants, the
# header's counts) is read once and folded; the rest is one query per section of the page.
# The justice app's sections (protection orders; proceedings with programmes; the
# perpetrator across cases) cost one query each: 20 before them, 22 with them.
CASE_LIST_BUDGET = 10
CASE_PAGE_BUDGET = 22


def _busy_case(officer, coordinator, shelter):
    """A case with something in every section: persons, incidents, consent, circle."""
    case = register_case(officer, consent=consent_for(shelter))
    case = services.case_update(
        actor=coordinator, case=case, version=case.version, coordinator=coordinator
    )
    services.case_share(actor=coordinator, case=case, agency=shelter)
    for part in ("perpetrator", "other"):
        services.person_add(
            actor=officer,
            case=case,
            data=VictimDataFactory(),
            part=part,
            relationship="relative",
        )
    for _ in range(3):
        services.incident_record(actor=officer, case=case, data=IncidentDataFactory())
    return case


def test_the_case_list_stays_within_its_query_budget(browse, officer, coordinator):
    client = browse(coordinator)
    _cases(officer, coordinator, 30)
    client.get("/cases/")

    for query in ("", "?scope=mine", "?q=Əliyeva", "?status=open"):
        assert _queries(client, f"/cases/{query}") <= CASE_LIST_BUDGET, query


def test_the_case_page_stays_within_its_query_budget_for_its_coordinator(
    browse, officer, coordinator, shelter
):
    case = _busy_case(officer, coordinator, shelter)
    client = browse(coordinator)
    client.get(f"/cases/{case.pk}/")

    assert _queries(client, f"/cases/{case.pk}/") <= CASE_PAGE_BUDGET


def test_the_case_page_stays_within_its_query_budget_for_another_agency_in_the_circle(
    browse, officer, coordinator, shelter, shelter_worker
):
    case = _busy_case(officer, coordinator, shelter)
    client = browse(shelter_worker)
    client.get(f"/cases/{case.pk}/")

    assert _queries(client, f"/cases/{case.pk}/") <= CASE_PAGE_BUDGET


def test_the_case_list_shows_each_name_as_text_never_as_markup(browse, officer, coordinator):
    register_case(officer, victim={"last_name": "<b>Əliyeva</b>", "first_name": "A&B"})

    page = browse(coordinator).get("/cases/").content.decode()

    assert "&lt;b&gt;Əliyeva&lt;/b&gt; A&amp;B" in page
    assert "<b>Əliyeva" not in page


def test_an_incident_costs_the_same_queries_however_many_came_before_it(officer, coordinator):
    """An incident escalates the case and tells its coordinators; once they have been told
    today, the next incident asks once whom it already told instead of trying to tell
    each again (a refused insert each). Budget: 30 queries for the service's part."""
    case = register_case(officer, coordinator=coordinator)
    counts = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            services.incident_record(actor=officer, case=case, data=IncidentDataFactory())
        counts.append(len(queries))

    assert counts[3] == counts[4]
    assert max(counts[1:]) <= 30, counts
