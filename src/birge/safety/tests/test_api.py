"""Safety plans over the API: read-only, the case's access policy, reads audited."""

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.audit.models import AuditEvent


@pytest.fixture
def api():
    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}")

    return api


def test_a_colleague_in_the_circle_reads_the_plan(api, colleague, plan):
    case = plan.case

    listed = api(colleague).get(f"/api/v1/cases/{case.pk}/safety-plans/").json()
    detail = api(colleague).get(f"/api/v1/cases/{case.pk}/safety-plans/{plan.pk}/").json()

    assert [p["id"] for p in listed] == [plan.pk]
    assert detail["sections"]["contacts"].startswith("Bacım")
    assert detail["revision"] == 1
    assert AuditEvent.objects.filter(
        action="safety.plan_viewed", actor=colleague, object_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize("path", ["safety-plans/", "safety-plans/{plan}/"])
def test_the_outsider_gets_404_on_the_safety_plan_endpoints(api, outsider, plan, path):
    url = f"/api/v1/cases/{plan.case.pk}/" + path.format(plan=plan.pk)

    assert api(outsider).get(url).status_code == 404


def test_a_plan_of_another_case_is_not_found_through_this_case(api, officer, plan, case):
    response = api(officer).get(f"/api/v1/cases/{case.pk}/safety-plans/{plan.pk}/")

    assert response.status_code == 404
