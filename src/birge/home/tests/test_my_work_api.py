"""My work and the notifications over the API: the same list, newest first, her own."""

from django.utils import timezone

from birge.cases.tests.factories import register_case
from birge.home.tests.test_my_work import _overdue
from birge.notifications.models import Notification


def test_the_api_gives_the_same_work_overdue_first(
    api, officer, shelter_worker, outsider, refer, protocol
):
    later = refer(officer, register_case(officer))
    late = refer(officer, register_case(officer))
    _overdue(late, 1)

    answer = api(shelter_worker).get("/api/v1/me/work/")

    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 2
    assert {"kind": "referrals", "title": "Referrals to answer", "count": 2} in body["sections"]
    references = [item["case_reference"] for item in body["results"]]
    assert references.index(late.case.reference) < references.index(later.case.reference)
    assert body["results"][0]["overdue"] is True
    assert body["results"][0]["url"] == f"/referrals/{late.pk}/"
    outsider_body = api(outsider).get("/api/v1/me/work/").json()
    assert later.case.reference not in str(outsider_body)


def test_the_api_asks_for_a_token(client, db):
    assert client.get("/api/v1/me/work/").status_code == 401
    assert client.get("/api/v1/notifications/").status_code == 401


def test_the_api_lists_her_own_notifications_newest_first(api, officer, colleague):
    first = Notification.objects.create(recipient=officer, kind="test.first", params={})
    second = Notification.objects.create(
        recipient=officer, kind="test.second", params={}, read_at=timezone.now()
    )
    Notification.objects.create(recipient=colleague, kind="test.theirs", params={})

    body = api(officer).get("/api/v1/notifications/").json()

    assert [n["id"] for n in body["results"]] == [second.pk, first.pk]
    assert [n["read"] for n in body["results"]] == [True, False]
    assert body["next_before"] is None
    assert api(officer).get("/api/v1/notifications/?before=x").status_code == 400


def test_both_operations_are_in_the_published_schema(client, db):
    schema = client.get("/api/v1/schema/?format=json").content.decode()

    assert "/api/v1/me/work/" in schema
    assert "/api/v1/notifications/" in schema
