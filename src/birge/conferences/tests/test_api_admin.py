"""What the pages could do and the API now does too: setting up and changing a series
(administrators), taking a case out of the queue, closing one under the watch, arranging
the agenda, taking a case off it, and changing an action in session. As everywhere in the
API: a 400 with the field, a 403 on what she sees but may not change, a 404 on what does
not concern her, a 409 on a stale version."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, RegionFactory
from birge.audit.models import AuditEvent
from birge.cases.models import CasePerson, Part
from birge.cases.services import conflict_declare
from birge.cases.tests.factories import register_case
from birge.conferences import services
from birge.conferences.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
)
from birge.notifications.models import Notification

BASE = "/api/v1/conferences"
STATEMENT = "What is said here stays here."


def _post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def _put(client, url, data):
    return client.put(url, data, content_type="application/json")


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def _status(referral) -> str:
    referral.refresh_from_db()
    return referral.status


@pytest.fixture
def waiting(coordinator, series):
    """A second case of the area, referred on judgement: it waits in the queue."""
    return services.conference_refer(
        actor=coordinator, case=register_case(coordinator), reason="He came back last night."
    )


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


# --- Setting up a series -----------------------------------------------------------------


@pytest.fixture
def settings_body(chair, police, shelter):
    return {
        "code": "ganja-marac",
        "name_az": "Gəncə risk konfransı",
        "name_ru": "Гянджинская конференция по рискам",
        "name_en": "Ganja risk conference",
        "region": RegionFactory(code="ganja", name_en="Ganja").pk,
        "chair": chair.pk,
        "members": [shelter.pk, police.pk],
        "cadence": "fortnightly",
        "quorum": 2,
        "minutes_per_case": 20,
        "confidentiality_az": STATEMENT,
        "confidentiality_ru": STATEMENT,
        "confidentiality_en": STATEMENT,
        "legal_basis": "Protocol, section 4",
    }


def test_an_administrator_sets_up_a_series(api, admin, police, shelter, settings_body):
    response = _post(api(admin), f"{BASE}/series/", settings_body)

    assert response.status_code == 201, response.json()
    created = response.json()
    series = ConferenceSeries.objects.get(code="ganja-marac")
    assert response["Location"] == f"{BASE}/series/{series.pk}/"
    assert created["id"] == series.pk and created["name"] == "Ganja risk conference"
    assert created["members"] == sorted([police.pk, shelter.pk])
    assert (created["cadence"], created["quorum"], created["minutes_per_case"]) == (
        "fortnightly",
        2,
        20,
    )
    assert created["is_active"] is True and created["queue"] is None
    assert series.adult_women_population is None
    assert AuditEvent.objects.filter(
        actor=admin, action="conference.series_created", object_id=str(series.pk)
    ).exists()


@pytest.mark.parametrize("who", ["chair", "analyst", "coordinator", "outsider"])
def test_only_an_administrator_sets_up_a_series(request, api, settings_body, who):
    response = _post(api(request.getfixturevalue(who)), f"{BASE}/series/", settings_body)

    assert response.status_code == 403
    assert not ConferenceSeries.objects.filter(code="ganja-marac").exists()


def test_unknown_ids_in_a_series_are_field_errors(api, admin, settings_body):
    body = {**settings_body, "region": 10**15, "chair": 10**15, "members": [10**15]}

    response = _post(api(admin), f"{BASE}/series/", body)

    assert response.status_code == 400
    assert response.json() == {
        "region": ["There is no such area."],
        "chair": ["The chair must be an active user whose role may chair conferences."],
        "members": ["Select a valid choice. That choice is not one of the available choices."],
    }
    assert not ConferenceSeries.objects.filter(code="ganja-marac").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"chair": "coordinator"}, "chair", "The chair must be an active user whose role"),
        ({"quorum": 3}, "quorum", "The quorum is between 1 and the number of member agencies."),
        ({"members": []}, "members", "Choose the member agencies."),
        ({"code": "baku-marac"}, "code", "Another conference series has this code."),
        ({"code": "no spaces"}, "code", "Enter a valid"),
        ({"minutes_per_case": 0}, "minutes_per_case", "greater than or equal to 1"),
        ({"legal_basis": " "}, "legal_basis", "This field may not be blank."),
    ],
)
def test_the_settings_are_checked_field_by_field(
    request, api, admin, series, settings_body, change, field, message
):
    if change.get("chair") == "coordinator":
        change = {"chair": request.getfixturevalue("coordinator").pk}

    response = _post(api(admin), f"{BASE}/series/", {**settings_body, **change})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert ConferenceSeries.objects.count() == 1


def test_a_closed_agency_does_not_join_but_may_stay(api, admin, series, settings_body, police):
    closed = AgencyFactory(code="closed-ngo", is_active=False)
    joining = _post(
        api(admin), f"{BASE}/series/", {**settings_body, "members": [police.pk, closed.pk]}
    )
    series.members.add(closed)
    body = {**settings_body, "code": series.code, "members": [police.pk, closed.pk]}
    staying = _put(api(admin), f"{BASE}/series/{series.pk}/", body)

    assert joining.status_code == 400
    # The same answer as for an agency that does not exist (birge.privacy.ids).
    assert joining.json() == {
        "members": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert staying.status_code == 200, staying.json()
    assert staying.json()["members"] == sorted([police.pk, closed.pk])


def test_an_administrator_changes_a_series(api, admin, series, police, shelter, settings_body):
    body = {**settings_body, "code": series.code, "quorum": 1, "is_active": False}

    response = _put(api(admin), f"{BASE}/series/{series.pk}/", body)

    assert response.status_code == 200, response.json()
    series.refresh_from_db()
    assert (series.quorum, series.is_active, series.name_en) == (1, False, "Ganja risk conference")
    assert sorted(series.members.values_list("pk", flat=True)) == sorted([police.pk, shelter.pk])
    assert response.json()["quorum"] == 1
    assert AuditEvent.objects.filter(
        actor=admin, action="conference.series_changed", object_id=str(series.pk)
    ).exists()


@pytest.mark.parametrize(("who", "status"), [("chair", 403), ("analyst", 403), ("outsider", 404)])
def test_only_an_administrator_changes_a_series(request, api, series, settings_body, who, status):
    body = {**settings_body, "code": series.code, "quorum": 1}

    response = _put(api(request.getfixturevalue(who)), f"{BASE}/series/{series.pk}/", body)

    assert response.status_code == status
    series.refresh_from_db()
    assert series.quorum == 2


# --- The queue and the watch ---------------------------------------------------------------


def test_the_chair_takes_a_case_out_of_the_queue(api, chair, series, waiting):
    url = f"{BASE}/series/{series.pk}/queue/{waiting.pk}/withdraw/"

    no_reason = _post(api(chair), url, {"reason": "  "})
    response = _post(api(chair), url, {"reason": "Referred too early."})

    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["Write why the case leaves the queue."]}
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.close_note) == ("withdrawn", "Referred too early.")


def test_a_member_may_not_take_a_case_out_of_the_queue(api, coordinator, series, waiting):
    url = f"{BASE}/series/{series.pk}/queue/{waiting.pk}/withdraw/"

    response = _post(api(coordinator), url, {"reason": "Referred too early."})

    assert response.status_code == 403
    assert _status(waiting) == "queued"


def test_only_a_case_waiting_in_the_queue_is_taken_out(api, chair, series, item):
    """The agenda's case is listed, not waiting; an id never used is not there either."""
    for referral_id in (item.referral_id, 999999):
        url = f"{BASE}/series/{series.pk}/queue/{referral_id}/withdraw/"
        assert _post(api(chair), url, {"reason": "Gone."}).status_code == 404
    assert _status(item.referral) == "listed"


def test_a_case_with_open_actions_stays_under_the_watch(
    api, chair, coordinator, series, item, action
):
    url = f"{BASE}/series/{series.pk}/watch/{item.referral_id}/close/"

    still_open = _post(api(chair), url, {"note": "Safe."})
    services.action_complete(actor=coordinator, action=action)
    by_a_member = _post(api(coordinator), url, {"note": "Safe."})
    closed = _post(api(chair), url, {"note": "Safe with her sister."})

    assert still_open.status_code == 400
    assert still_open.json() == {"non_field_errors": ["1 action of this case is still open."]}
    assert by_a_member.status_code == 403
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"
    referral = ConferenceReferral.objects.get(pk=item.referral_id)
    assert (referral.status, referral.close_note) == ("closed", "Safe with her sister.")


def test_a_case_not_under_the_watch_is_not_found_there(api, chair, series, queued):
    url = f"{BASE}/series/{series.pk}/watch/{queued.pk}/close/"

    assert _post(api(chair), url).status_code == 404
    assert _status(queued) == "queued"


@pytest.mark.parametrize("who", ["outsider", "ganja_coordinator"])
def test_the_queue_and_the_watch_do_not_exist_for_who_they_do_not_concern(
    request, api, series, waiting, item, who
):
    client = api(request.getfixturevalue(who))

    withdraw = f"{BASE}/series/{series.pk}/queue/{waiting.pk}/withdraw/"
    close = f"{BASE}/series/{series.pk}/watch/{item.referral_id}/close/"
    assert _post(client, withdraw, {"reason": "Gone."}).status_code == 404
    assert _post(client, close).status_code == 404
    assert _status(waiting) == "queued"


# --- The agenda ----------------------------------------------------------------------------


@pytest.fixture
def second(chair, meeting, waiting):
    """The waiting case, listed second on the meeting's agenda."""
    return services.agenda_add(actor=chair, meeting=meeting, referral=waiting)


def test_the_chair_arranges_the_agenda(api, chair, meeting, item, second):
    body = {
        "items": [
            {"item": second.pk, "position": 1, "minutes": 30},
            {"item": item.pk, "position": 2, "minutes": 10},
        ]
    }

    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", body)

    assert response.status_code == 200, response.json()
    agenda = [(i["id"], i["position"], i["minutes"]) for i in response.json()["items"]]
    assert agenda == [(second.pk, 1, 30), (item.pk, 2, 10)]


def test_an_item_of_another_meeting_is_not_arranged(api, chair, series, meeting, item, waiting):
    other = services.meeting_plan(
        actor=chair, series=series, starts_at=timezone.now() + timedelta(days=14)
    )
    elsewhere = services.agenda_add(actor=chair, meeting=other, referral=waiting)
    body = {
        "items": [
            {"item": item.pk, "position": 2, "minutes": 10},
            {"item": elsewhere.pk, "position": 1, "minutes": 10},
        ]
    }

    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", body)

    assert response.status_code == 400
    assert response.json() == {"items": ["These agenda items are not on this meeting's agenda."]}
    item.refresh_from_db()
    assert item.position == 1


def test_a_case_hidden_from_the_chair_is_not_arranged_by_her(api, chair, meeting, item, second):
    """A case of a person she declared a relation to is not on her agenda: its item is
    refused as one of another meeting would be, and keeps its place."""
    victim = CasePerson.objects.get(case=second.case, part=Part.VICTIM).person
    conflict_declare(
        user=chair,
        first_name=victim.first_name,
        last_name=victim.last_name,
        birth_date=victim.birth_date,
    )
    body = {"items": [{"item": second.pk, "position": 1, "minutes": 30}]}

    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", body)

    assert response.status_code == 400
    assert response.json() == {"items": ["These agenda items are not on this meeting's agenda."]}
    second.refresh_from_db()
    assert (second.position, second.minutes) == (2, meeting.series.minutes_per_case)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {"items": {"non_field_errors": ["This list may not be empty."]}}),
        (
            [
                {"item": "i", "position": 1, "minutes": 10},
                {"item": "i", "position": 2, "minutes": 5},
            ],
            {"items": ["List each agenda item once."]},
        ),
        (
            [{"item": "i", "position": 0, "minutes": 121}],
            {
                "items": {
                    "0": {
                        "position": ["Ensure this value is greater than or equal to 1."],
                        "minutes": ["Ensure this value is less than or equal to 120."],
                    }
                }
            },
        ),
        (
            [{"item": "i", "position": 1}],
            {"items": {"0": {"minutes": ["This field is required."]}}},
        ),
    ],
)
def test_arranging_checks_each_row(api, chair, meeting, item, rows, expected):
    rows = [{**row, "item": item.pk} for row in rows]

    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", {"items": rows})

    assert response.status_code == 400
    assert response.json() == expected


def test_a_member_may_not_arrange_or_change_the_agenda(api, coordinator, meeting, item):
    client = api(coordinator)
    body = {"items": [{"item": item.pk, "position": 5, "minutes": 10}]}

    arranged = _post(client, f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", body)
    removed = _post(client, f"{BASE}/meetings/{meeting.pk}/items/{item.pk}/remove/")

    assert (arranged.status_code, removed.status_code) == (403, 403)
    item.refresh_from_db()
    assert item.position == 1


def test_the_chair_takes_a_case_off_the_agenda(api, chair, meeting, item, queued):
    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/items/{item.pk}/remove/")

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == meeting.pk and response.json()["items"] == []
    assert _status(queued) == "queued"
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_researched_case_stays_on_the_agenda(api, chair, social_worker, meeting, item):
    services.research_add(actor=social_worker, item=item, topic="children", text="Two children.")

    response = _post(api(chair), f"{BASE}/meetings/{meeting.pk}/items/{item.pk}/remove/")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Agencies have added research on this case: defer it instead."]
    }
    assert AgendaItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("who", ["outsider", "ganja_coordinator", "analyst"])
def test_the_agenda_does_not_exist_for_who_it_does_not_concern(request, api, meeting, item, who):
    client = api(request.getfixturevalue(who))
    body = {"items": [{"item": item.pk, "position": 5, "minutes": 10}]}

    assert _post(client, f"{BASE}/meetings/{meeting.pk}/agenda/arrange/", body).status_code == 404
    assert _post(client, f"{BASE}/meetings/{meeting.pk}/items/{item.pk}/remove/").status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk, position=1).exists()


# --- Changing an action in session ---------------------------------------------------------


@pytest.fixture
def change(social, social_worker):
    """The action handed to Baku social protection's social worker."""
    return {
        "text": "Visit the children's school",
        "agency": social.pk,
        "person": social_worker.pk,
        "due_on": _days(5),
        "concerns": ["children", "victim"],
    }


def test_the_chair_changes_an_action_in_session(api, chair, social, social_worker, action, change):
    response = _put(api(chair), f"{BASE}/actions/{action.pk}/", {**change, "version": 1})

    assert response.status_code == 200, response.json()
    changed = response.json()
    assert (changed["agency"], changed["person"], changed["version"]) == (
        social.pk,
        social_worker.pk,
        2,
    )
    assert changed["concerns"] == ["children", "victim"]
    action.refresh_from_db()
    assert (action.text, action.agency, action.due_on.isoformat()) == (
        "Visit the children's school",
        social,
        change["due_on"],
    )
    assert Notification.objects.filter(
        recipient=social_worker, kind="conference.action_assigned"
    ).exists()


def test_a_change_on_a_stale_version_is_a_conflict(api, chair, action, change):
    response = _put(api(chair), f"{BASE}/actions/{action.pk}/", {**change, "version": 7})

    assert response.status_code == 409
    action.refresh_from_db()
    assert (action.text, action.version) == ("Visit her within two days", 1)


@pytest.mark.parametrize(
    ("wrong", "expected"),
    [
        ({"due_on": _days(-1)}, {"due_on": ["The due date is in the past: give today or a later date."]}),
        ({"agency": None}, {"agency": ["Choose the agency responsible for the action."]}),
        ({"agency": 10**15, "person": 10**15}, {"agency": ["Select a valid choice. That choice is not one of the available choices."]}),
        ({"person": 10**15}, {"person": ["Name an active person of the responsible agency."]}),
        ({"agency": 10**30}, {"agency": ["Ensure this value is less than or equal to 4611686018427387904."]}),
        ({"concerns": []}, {"concerns": ["Say whom the action protects (the victim, children, others) or addresses (the perpetrator)."]}),
        ({"text": ""}, {"text": ["Write what will be done."]}),
    ],
)  # fmt: skip
def test_a_changed_action_is_checked_field_by_field(api, chair, action, change, wrong, expected):
    response = _put(api(chair), f"{BASE}/actions/{action.pk}/", {**change, **wrong})

    assert response.status_code == 400
    assert response.json() == expected
    action.refresh_from_db()
    assert action.version == 1


def test_an_action_is_changed_only_in_session(api, chair, in_session, action, change):
    services.meeting_close(actor=chair, meeting=in_session)

    response = _put(api(chair), f"{BASE}/actions/{action.pk}/", change)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An action is changed only while its meeting is in session."]
    }


def test_the_responsible_agency_may_not_change_the_action(api, coordinator, action, change):
    """The coordinator sees the action (it is hers to carry out) but does not chair."""
    response = _put(api(coordinator), f"{BASE}/actions/{action.pk}/", change)

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.version == 1


@pytest.mark.parametrize("who", ["outsider", "ganja_coordinator", "analyst"])
def test_an_action_does_not_exist_for_who_it_does_not_concern(request, api, action, change, who):
    response = _put(api(request.getfixturevalue(who)), f"{BASE}/actions/{action.pk}/", change)

    assert response.status_code == 404
    assert ConferenceAction.objects.get(pk=action.pk).version == 1
