"""A case in a conference's queue keeps the case page within its query budget."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.cases.tests.test_query_counts import CASE_PAGE_BUDGET


def test_the_page_of_a_queued_case_stays_within_its_query_budget(browse, coordinator, queued):
    client = browse(coordinator)
    url = f"/cases/{queued.case_id}/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)

    assert page.status_code == 200
    assert "Baku risk conference" in page.content.decode()
    assert len(queries) <= CASE_PAGE_BUDGET
