"""The risk conference over the API: the same rules and services as the pages, answered
as JSON; refusals are 400 with the field, 403 on what she sees but may not change, 404 on
what does not concern her, 409 on a stale version, and never a server error."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.models import CircleMember
from birge.cases.tests.factories import register_case
from birge.conferences import services
from birge.conferences.models import ConferenceAction, ConferenceReferral

BASE = "/api/v1/conferences"
REASON = "He was released yesterday and has been seen outside her building twice."


def _post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def action(chair, coordinator, police, in_session, item):
    """An action agreed at the meeting in session: the Baku police's, the coordinator's."""
    services.item_discuss(
        actor=chair, item=item, summary="s" * 20, victim_view="v" * 20, risks="r" * 20
    )
    return services.action_add(
        actor=chair,
        item=item,
        text="Visit her within two days",
        agency=police,
        person=coordinator,
        due_on=timezone.localdate() + timedelta(days=2),
        concerns=["victim"],
    )


def test_the_whole_flow_through_the_api(api, chair, coordinator, police, series, case):
    chair_api, member_api = api(chair), api(coordinator)

    referred = _post(member_api, f"{BASE}/referrals/", {"case": case.pk, "reason": REASON})
    assert referred.status_code == 201, referred.json()
    referral = referred.json()
    assert (referral["series"], referral["criterion"]) == (series.pk, "judgement")
    assert referral["status"] == "queued"

    starts_at = (timezone.now() + timedelta(days=7)).isoformat()
    planned = _post(
        chair_api, f"{BASE}/series/{series.pk}/meetings/", {"starts_at": starts_at, "place": "Hall"}
    )
    assert planned.status_code == 201, planned.json()
    meeting = f"{BASE}/meetings/{planned.json()['id']}"
    assert planned["Location"] == f"{meeting}/"

    agenda = _post(chair_api, f"{meeting}/agenda/", {"referral": referral["id"]})
    assert agenda.status_code == 200, agenda.json()
    [listed] = agenda.json()["items"]
    assert listed["case"] == case.pk and listed["criterion"] == "judgement"
    item = f"{meeting}/items/{listed['id']}"

    research = _post(member_api, f"{item}/research/", {"topic": "incidents", "text": "Two calls."})
    assert research.status_code == 201, research.json()

    assert _post(chair_api, f"{meeting}/open/").json()["status"] == "in_session"
    assert _post(chair_api, f"{meeting}/attend/", {"accept": True}).json()["you_attend"] is True
    attended = _post(member_api, f"{meeting}/attend/", {"accept": True})
    assert attended.status_code == 200 and attended.json()["quorum_reached"] is True
    again = _post(member_api, f"{meeting}/attend/", {"accept": True})
    assert again.status_code == 400
    assert "already accepted" in again.json()["non_field_errors"][0]

    discussed = _post(
        chair_api,
        f"{item}/discussion/",
        {"summary": "Stalking after release.", "victim_view": "She is afraid.", "risks": "High."},
    )
    assert discussed.status_code == 200, discussed.json()
    assert discussed.json()["outcome"] == "heard"
    assert discussed.json()["summary"] == "Stalking after release."

    wanted = {"text": "Visit her", "person": coordinator.pk, "concerns": ["victim"]}
    no_agency = _post(chair_api, f"{item}/actions/", {**wanted, "due_on": _days(2)})
    assert no_agency.status_code == 400
    assert no_agency.json()["agency"] == ["Choose the agency responsible for the action."]
    late = _post(
        chair_api, f"{item}/actions/", {**wanted, "agency": police.pk, "due_on": _days(-1)}
    )
    assert late.status_code == 400
    assert late.json()["due_on"] == ["The due date is in the past: give today or a later date."]
    added = _post(
        chair_api, f"{item}/actions/", {**wanted, "agency": police.pk, "due_on": _days(2)}
    )
    assert added.status_code == 201, added.json()
    action = added.json()
    assert (action["agency"], action["person"], action["status"]) == (
        police.pk,
        coordinator.pk,
        "open",
    )

    closed = _post(chair_api, f"{meeting}/close/")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"

    done = _post(member_api, f"{BASE}/actions/{action['id']}/complete/", {"note": "Visited."})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"
    assert ConferenceReferral.objects.get(pk=referral["id"]).status == "heard"
    assert CircleMember.objects.filter(case=case, route="conference").exists()


def test_reading_a_meeting_is_logged(api, coordinator, meeting):
    response = api(coordinator).get(f"{BASE}/meetings/{meeting.pk}/")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=coordinator,
        action="conference.meeting_viewed",
        object_type="meeting",
        object_id=str(meeting.pk),
    ).exists()


def test_the_chair_sees_the_queue_and_a_member_does_not(api, chair, coordinator, series, queued):
    chairs = api(chair).get(f"{BASE}/series/{series.pk}/").json()
    members = api(coordinator).get(f"{BASE}/series/{series.pk}/").json()

    assert [row["id"] for row in chairs["queue"]] == [queued.pk]
    assert chairs["queue"][0]["case_reference"] == queued.case.reference
    assert chairs["queue"][0]["risk_level"] == "high"
    assert members["queue"] is None and members["watch"] is None
    assert members["code"] == "baku-marac"


def test_a_member_who_did_not_attend_reads_only_her_own_research(
    api, shelter_worker, social_worker, in_session, item
):
    url = f"{BASE}/meetings/{in_session.pk}/items/{item.pk}/"
    _post(api(shelter_worker), f"{url}research/", {"topic": "other", "text": "Stayed with us."})
    _post(api(social_worker), f"{url}research/", {"topic": "children", "text": "Two children."})

    absent = api(shelter_worker).get(url).json()
    present = api(social_worker).get(url).json()

    assert [note["text"] for note in absent["research"]] == ["Stayed with us."]
    assert absent["summary"] is None and absent["actions"] is None
    assert sorted(note["text"] for note in present["research"]) == [
        "Stayed with us.",
        "Two children.",
    ]
    assert present["brief"]["people"][0]["part"] == "victim"


@pytest.mark.parametrize("who", ["outsider", "ganja_coordinator"])
def test_who_it_does_not_concern_gets_404(request, api, who, series, in_session, item, action):
    client = api(request.getfixturevalue(who))
    meeting = f"{BASE}/meetings/{in_session.pk}/"

    for url in (
        f"{BASE}/series/{series.pk}/",
        f"{BASE}/series/{series.pk}/figures/",
        meeting,
        f"{meeting}items/{item.pk}/",
        f"{BASE}/actions/{action.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    # Even a method the route does not serve, and a write: the meeting does not exist.
    assert client.delete(meeting).status_code == 404
    assert client.options(meeting).status_code == 404
    assert _post(client, f"{meeting}attend/", {"accept": True}).status_code == 404
    assert client.get(f"{BASE}/series/").json() == []
    assert client.get(f"{BASE}/actions/").json()["results"] == []


def test_a_member_may_not_plan_a_meeting(api, coordinator, series):
    starts_at = (timezone.now() + timedelta(days=7)).isoformat()

    response = _post(
        api(coordinator), f"{BASE}/series/{series.pk}/meetings/", {"starts_at": starts_at}
    )

    assert response.status_code == 403
    assert not series.meetings.exists()


def test_a_stale_version_is_a_conflict(api, chair, meeting):
    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/open/", {"version": 99})

    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_an_unknown_agency_or_person_is_a_field_error(api, chair, in_session, item, police):
    url = f"{BASE}/meetings/{in_session.pk}/items/{item.pk}/actions/"
    body = {"text": "Visit", "due_on": _days(2), "concerns": ["victim"]}

    no_agency = _post(api(chair), url, {**body, "agency": 10**15, "person": 10**15})
    no_person = _post(api(chair), url, {**body, "agency": police.pk, "person": 10**15})

    assert no_agency.status_code == no_person.status_code == 400
    assert no_agency.json() == {
        "agency": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert no_person.json() == {"person": ["Name an active person of the responsible agency."]}
    assert not ConferenceAction.objects.exists()


def test_the_figures_are_for_the_chair_and_the_period_is_checked(api, chair, coordinator, series):
    url = f"{BASE}/series/{series.pk}/figures/"

    figures = api(chair).get(url)
    backwards = api(chair).get(url + "?since=2025-06-01&until=2025-01-01")

    assert figures.status_code == 200 and figures.json()["meetings_held"] == 0
    assert backwards.status_code == 400 and "since" in backwards.json()
    assert api(chair).get(url + "?until=0001-01-01").status_code == 400
    assert api(coordinator).get(url).status_code == 404


def test_the_action_list_filters_by_status_and_agency(api, coordinator, social_worker, action):
    mine = api(coordinator).get(f"{BASE}/actions/?mine=1&status=open").json()["results"]
    done = api(coordinator).get(f"{BASE}/actions/?status=done").json()["results"]
    theirs = api(social_worker).get(f"{BASE}/actions/?mine=1").json()["results"]
    attended = api(social_worker).get(f"{BASE}/actions/").json()["results"]

    assert [a["id"] for a in mine] == [action.pk]
    assert done == [] and theirs == []
    assert [a["id"] for a in attended] == [action.pk]
    assert api(coordinator).get(f"{BASE}/actions/?status=lost").status_code == 400


def test_the_action_list_reads_a_fixed_number_of_queries(
    api, chair, coordinator, police, item, action
):
    client = api(coordinator)
    client.get(f"{BASE}/actions/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"{BASE}/actions/")
    for n in range(5):
        services.action_add(
            actor=chair,
            item=item,
            text=f"Call her every day ({n})",
            agency=police,
            person=coordinator,
            due_on=timezone.localdate() + timedelta(days=3),
            concerns=["victim"],
        )
    with CaptureQueriesContext(connection) as six:
        response = client.get(f"{BASE}/actions/")

    assert len(response.json()["results"]) == 6
    assert len(six) == len(one)


WEIRD_BODIES = [
    {},
    [],
    ["a list"],
    {"referral": 10**30, "case": 10**30, "agency": 10**30, "person": 10**30, "version": 10**30},
    {"referral": [1], "case": {"a": 1}, "agency": "x", "person": [], "build": [], "limit": "x"},
    {"accept": [], "topic": ["other"], "text": ["x"], "summary": {}, "reason": [1]},
    {"due_on": ["2030-01-01"], "concerns": "victim", "starts_at": [], "place": {}},
    {"due_on": "9999-12-31", "concerns": [[]], "starts_at": "9999-12-31T23:59:59-12:00"},
    {"build": True, "limit": 10**30, "minutes": -1, "note": None, "version": "a"},
    {"items": 10**30},
    {"items": {"item": 1}},
    {"items": [None, [], "x", 10**30]},
    {"items": [{"item": 10**30, "position": 10**30, "minutes": 10**30}]},
    {"items": [{"item": [1], "position": "x", "minutes": {}}]},
    {"items": [{"item": 1, "position": 1, "minutes": 10}] * 1000},
    {"code": [], "region": 10**30, "chair": 10**30, "members": [10**30], "quorum": 10**30},
    {"code": {}, "region": "x", "chair": [1], "members": "x", "cadence": [], "is_active": []},
    {"members": [[1]], "minutes_per_case": 10**30, "adult_women_population": 10**30},
    {"members": list(range(1, 1002)), "name_az": ["x"], "legal_basis": {"a": 1}},
    "not json",
    "null",
    "1",
    '"a string"',
]


@pytest.fixture
def waiting(coordinator, series):
    """A second case of the area, referred on judgement: it waits in the queue."""
    return services.conference_refer(
        actor=coordinator, case=register_case(coordinator), reason=REASON
    )


def test_no_body_is_a_server_error(api, chair, admin, series, in_session, item, action, waiting):
    meeting = f"{BASE}/meetings/{in_session.pk}"
    routes = [
        f"{BASE}/referrals/",
        f"{BASE}/series/{series.pk}/meetings/",
        f"{BASE}/series/{series.pk}/queue/{waiting.pk}/withdraw/",
        f"{BASE}/series/{series.pk}/watch/{item.referral_id}/close/",
        f"{meeting}/agenda/",
        f"{meeting}/agenda/arrange/",
        f"{meeting}/attend/",
        f"{meeting}/cancel/",
        f"{meeting}/open/",
        f"{meeting}/close/",
        f"{meeting}/items/{item.pk}/remove/",
        f"{meeting}/items/{item.pk}/research/",
        f"{meeting}/items/{item.pk}/discussion/",
        f"{meeting}/items/{item.pk}/actions/",
        f"{BASE}/actions/{action.pk}/complete/",
        f"{BASE}/actions/{action.pk}/cancel/",
    ]
    calls = [(api(chair).post, route) for route in routes]
    calls += [
        (api(chair).put, f"{BASE}/actions/{action.pk}/"),
        (api(admin).post, f"{BASE}/series/"),
        (api(admin).put, f"{BASE}/series/{series.pk}/"),
    ]
    for send, route in calls:
        for body in WEIRD_BODIES:
            response = send(route, body, content_type="application/json")
            assert response.status_code < 500, (route, body)


def test_the_schema_documents_the_conferences_api(api, officer):
    schema = api(officer).get("/api/v1/schema/?format=json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "post" in paths["/api/v1/conferences/referrals/"]
    assert "post" in paths["/api/v1/conferences/meetings/{meeting_id}/items/{item_id}/actions/"]
    assert "get" in paths["/api/v1/conferences/series/{series_id}/figures/"]
