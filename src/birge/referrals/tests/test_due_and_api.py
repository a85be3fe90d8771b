"""Due times from the co-operation protocol, and the referrals API end to end."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.agencies.models import ProtocolVersion, Service, ServiceKind
from birge.agencies.tests.factories import AgencyFactory, RegionFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.notifications.models import Notification
from birge.referrals.models import Referral
from birge.referrals.tests.conftest import SUMMARY


@pytest.fixture
def police_protection(db):
    agency = AgencyFactory(code="police-district", kind="police")
    UserFactory(username="district_officer", agency=agency, roles=["frontline_officer"])
    service = Service.objects.create(
        agency=agency,
        kind=ServiceKind.POLICE_PROTECTION,
        name_az="Mühafizə",
        name_ru="Защита",
        name_en="Protection",
    )
    service.regions.add(RegionFactory())
    return service


def test_due_at_is_sent_at_plus_the_promised_hours(officer, case, refer, protocol):
    referral = refer(officer, case)

    assert referral.due_at - referral.sent_at == timedelta(hours=4)
    assert referral.protocol_version == protocol and referral.pathway == "shelter-place"
    sent = AuditEvent.objects.get(action="referral.sent")
    assert sent.data["response_hours"] == 4 and sent.data["protocol_version"] == 1


def test_a_promise_from_high_risk_up_applies_only_at_high_risk(
    officer, case, high_risk_case, refer, protocol, police_protection
):
    standard = refer(officer, case, service=police_protection)
    high = refer(officer, high_risk_case, service=police_protection)

    assert standard.due_at is None and standard.pathway == ""
    assert high.due_at - high.sent_at == timedelta(hours=24)
    assert high.pathway == "police-protection-high"


def test_without_a_protocol_in_force_nothing_is_promised(officer, case, refer):
    referral = refer(officer, case)

    assert referral.status == Referral.Status.SENT
    assert referral.protocol_version is None and referral.due_at is None


def test_the_newest_adopted_version_sets_the_promise(officer, case, refer, protocol):
    content = {**protocol.content}
    content["pathways"] = [{**content["pathways"][0], "id": "shelter-fast", "response_hours": 2}]
    ProtocolVersion.objects.create(number=2, status="adopted", content=content)
    ProtocolVersion.objects.create(number=3, status="proposed", content=protocol.content)

    referral = refer(officer, case)

    assert referral.due_at - referral.sent_at == timedelta(hours=2)
    assert referral.protocol_version.number == 2 and referral.pathway == "shelter-fast"


def test_the_receiving_agencys_people_are_told_and_nobody_else(
    officer, lead, outsider, shelter_worker, case, refer
):
    referral = refer(officer, case)

    told = set(
        Notification.objects.filter(kind="referral.received").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"shelter_worker"}
    note = Notification.objects.get(kind="referral.received")
    assert note.params == {"referral": referral.pk, "agency_id": officer.agency_id}


def test_the_api_walks_the_whole_lifecycle(
    api, officer, coordinator, shelter, shelter_worker, high_risk_case, shelter_place, protocol
):
    police, shelter_api = api(officer), api(shelter_worker)

    created = police.post(
        "/api/v1/referrals/",
        {
            "case": high_risk_case.pk,
            "agency": shelter.pk,
            "service_kind": "shelter",
            "summary": SUMMARY,
        },
        content_type="application/json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    rid = body["id"]
    assert created["Location"] == f"/api/v1/referrals/{rid}/"
    assert body["status"] == "sent" and body["service"] == shelter_place.pk
    assert body["protocol_version"] == 1 and body["pathway"] == "shelter-place"
    assert body["actions"] == ["withdraw"]

    inbox = shelter_api.get("/api/v1/referrals/?box=to_us").json()["results"]
    assert [r["id"] for r in inbox] == [rid]
    seen = shelter_api.get(f"/api/v1/referrals/{rid}/").json()
    assert seen["summary"] == SUMMARY and seen["risk_level"] == "high"

    accepted = shelter_api.post(
        f"/api/v1/referrals/{rid}/accept/",
        {"version": seen["version"]},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["case_visible"] is True
    assert accepted.json()["actions"] == ["start"]
    for step in ("start", "complete"):
        response = shelter_api.post(
            f"/api/v1/referrals/{rid}/{step}/", {}, content_type="application/json"
        )
        assert response.status_code == 200
    assert Referral.objects.get(pk=rid).status == Referral.Status.COMPLETED
    assert police.get(f"/api/v1/referrals/{rid}/").json()["status"] == "completed"


def test_the_api_keeps_a_draft_and_sends_it_later(api, officer, case, shelter_place):
    client = api(officer)
    draft = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": shelter_place.pk, "summary": SUMMARY, "send": False},
        content_type="application/json",
    ).json()
    assert draft["status"] == "draft" and draft["actions"] == ["send", "withdraw"]

    sent = client.post(
        f"/api/v1/referrals/{draft['id']}/send/", {}, content_type="application/json"
    )

    assert sent.status_code == 200 and sent.json()["status"] == "sent"


def test_the_api_list_reads_a_fixed_number_of_queries(api, officer, case, refer):
    client = api(officer)
    refer(officer, case)
    client.get("/api/v1/referrals/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/referrals/")
    for _ in range(5):
        refer(officer, case)
    with CaptureQueriesContext(connection) as six:
        response = client.get("/api/v1/referrals/")

    assert len(response.json()["results"]) == 6
    assert len(six) == len(one)


def test_the_inbox_reads_a_fixed_number_of_queries(browse, officer, shelter_worker, case, refer):
    client = browse(shelter_worker)
    refer(officer, case)
    client.get("/referrals/")  # the first request of a session does more
    with CaptureQueriesContext(connection) as one:
        client.get("/referrals/")
    for _ in range(5):
        refer(officer, case)
    with CaptureQueriesContext(connection) as six:
        page = client.get("/referrals/")

    assert page.content.decode().count('class="alert"') == 0
    assert len(six) == len(one)


def test_an_overdue_referral_is_marked_in_the_inbox(browse, officer, shelter_worker, case, refer):
    referral = refer(officer, case)
    past = referral.sent_at - timedelta(hours=1)
    Referral.objects.filter(pk=referral.pk).update(due_at=past)

    page = browse(shelter_worker).get("/referrals/").content.decode()

    assert "overdue" in page


def test_the_schema_describes_the_referrals_api(api, officer):
    schema = api(officer).get("/api/v1/schema/?format=json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/referrals/" in paths
    assert "post" in paths["/api/v1/referrals/{referral_id}/decline/"]
