"""The number of queries a page makes does not grow with the data on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.cases import services
from birge.cases.tests.factories import IncidentDataFactory, consent_for, register_case


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
