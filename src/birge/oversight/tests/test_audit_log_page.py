"""The auditor reads the log at /audit/, filters it, and leaves a trace of having read it."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from birge.audit.models import AuditEvent
from birge.audit.services import event_record
from birge.cases.tests.factories import register_case
from birge.oversight.objects import audit_object_names


@pytest.fixture
def english(client):
    client.cookies["birge_language"] = "en"
    return client


@pytest.fixture
def events(officer, outsider, lead, time_machine):
    """Events on three days (UTC), by three people of two agencies."""
    made = {}
    for name, when, actor, action in [
        ("feb", datetime(2026, 2, 27, 9, 0, tzinfo=UTC), officer, "case.viewed"),
        ("mar1", datetime(2026, 3, 1, 22, 30, tzinfo=UTC), outsider, "case.viewed"),
        ("mar2", datetime(2026, 3, 2, 8, 0, tzinfo=UTC), lead, "user.deactivated"),
    ]:
        time_machine.move_to(when, tick=False)
        made[name] = event_record(action=action, actor=actor, object_type="case", object_id=7)
    time_machine.move_to(datetime(2026, 3, 3, 12, 0, tzinfo=UTC), tick=False)
    return made


def _shown(response) -> set[int]:
    return {event.pk for event, *_words in response.context["rows"]}


def test_the_auditor_sees_the_events(english, sign_in, auditor, events):
    sign_in(english, auditor)
    response = english.get("/audit/")

    assert response.status_code == 200
    assert {e.pk for e in events.values()} <= _shown(response)
    page = response.content.decode()
    assert '<span title="user.deactivated">User deactivated</span>' in page
    assert ">user.deactivated<" not in page


def test_the_page_shows_who_which_agency_when_in_baku_time_and_from_where(
    english, sign_in, auditor, officer, lead
):
    sign_in(english, lead)
    english.post(
        f"/admin/users/{officer.pk}/deactivate/", {"reason": "Left"}, REMOTE_ADDR="203.0.113.7"
    )
    event = AuditEvent.objects.get(action="user.deactivated")
    english.logout()  # forgets every cookie, the language too
    english.cookies["birge_language"] = "en"
    sign_in(english, auditor)

    page = english.get("/audit/", {"action": "user.deactivated"}).content.decode()
    baku = event.occurred_at.astimezone(ZoneInfo("Asia/Baku"))
    assert f'<time datetime="{baku.isoformat()}">' in page
    assert baku.strftime("%Y-%m-%d %H:%M:%S") in page
    assert "(UTC)" not in page
    assert '<td data-label="Who">lead</td>' in page
    assert lead.agency.name_en in page
    assert f'<td data-label="Object">{officer.display_name}</td>' in page
    assert f"user {officer.pk}" not in page
    assert "203.0.113.7" in page
    assert event.request_id[:8] in page


def test_filtering_by_action_prefix(client, sign_in, auditor, events):
    sign_in(client, auditor)
    response = client.get("/audit/", {"action": "user."})
    assert _shown(response) == {events["mar2"].pk}


def test_filtering_by_username(client, sign_in, auditor, events):
    sign_in(client, auditor)
    response = client.get("/audit/", {"actor": "outsider"})
    assert _shown(response) == {events["mar1"].pk}


def test_filtering_by_agency(client, sign_in, auditor, events, police):
    sign_in(client, auditor)
    response = client.get("/audit/", {"agency": police.pk, "object_type": "case"})
    assert _shown(response) == {events["feb"].pk, events["mar2"].pk}


def test_filtering_by_object(client, sign_in, auditor, events, officer):
    event_record(action="case.viewed", actor=officer, object_type="case", object_id=8)
    sign_in(client, auditor)
    response = client.get("/audit/", {"object_type": "case", "object_id": "7"})
    assert _shown(response) == {e.pk for e in events.values()}


def test_filtering_by_dates(client, sign_in, auditor, events):
    sign_in(client, auditor)
    response = client.get("/audit/", {"since": "2026-02-27", "until": "2026-03-01"})
    assert _shown(response) == {events["feb"].pk}


def test_the_date_filter_uses_the_same_baku_days_the_page_shows(client, sign_in, auditor, events):
    # 2026-03-01 22:30 UTC is 2 March 02:30 in Baku, as every screen shows it.
    sign_in(client, auditor)
    assert events["mar1"].pk not in _shown(client.get("/audit/", {"until": "2026-03-01"}))
    assert events["mar1"].pk in _shown(client.get("/audit/", {"since": "2026-03-02"}))


def test_filters_combine(client, sign_in, auditor, events):
    sign_in(client, auditor)
    response = client.get("/audit/", {"action": "case.", "actor": "officer"})
    assert _shown(response) == {events["feb"].pk}


def test_an_end_date_before_the_start_date_gets_a_field_message(english, sign_in, auditor, events):
    sign_in(english, auditor)
    response = english.get("/audit/", {"since": "2026-03-02", "until": "2026-03-01"})
    assert response.status_code == 200
    assert "until" in response.context["form"].errors
    assert "The end date is before the start date." in response.content.decode()
    assert _shown(response) == set()


def test_viewing_the_log_is_itself_recorded(client, sign_in, auditor, events):
    sign_in(client, auditor)
    client.get("/audit/", {"page": "1"})
    viewed = AuditEvent.objects.get(action="audit.log.viewed")
    assert viewed.actor == auditor
    assert viewed.agency == auditor.agency
    assert viewed.data == {"page": 1}


def test_the_log_is_paged(client, sign_in, auditor, officer):
    for number in range(60):
        event_record(action="case.viewed", actor=officer, object_id=number)
    sign_in(client, auditor)
    first = client.get("/audit/")
    second = client.get("/audit/", {"page": 2})
    assert len(first.context["rows"]) == 50
    assert second.context["page"].number == 2
    oldest = AuditEvent.objects.order_by("id").first()
    assert oldest.pk in _shown(second)
    assert {e.pk for e in AuditEvent.objects.filter(action="case.viewed")} <= _shown(
        first
    ) | _shown(second)


def test_the_log_does_not_query_once_per_event(
    client, sign_in, auditor, officer, lead, django_assert_max_num_queries
):
    event_record(action="case.viewed", actor=officer)
    sign_in(client, auditor)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for number in range(40):
        event_record(action="case.viewed", actor=lead if number % 2 else officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/audit/")
    assert len(response.context["rows"]) == 44


@pytest.mark.parametrize("cast", ["officer", "lead", "admin", "analyst", "outsider"])
def test_only_auditors_may_read_the_log(client, sign_in, events, cast, request):
    sign_in(client, request.getfixturevalue(cast))
    assert client.get("/audit/").status_code == 404
    assert not AuditEvent.objects.filter(action="audit.log.viewed").exists()


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-13-45"},
        {"since": "yesterday"},
        {"until": "0000-00-00"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "0001-01-01", "until": "9999-12-31"},
        {"agency": "abc"},
        {"agency": "99999999999999999999999"},
        {"agency": "-1"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999999999999999999999"},
        {"action": "x" * 5000},
        {"actor": "x" * 5000},
        {"object_id": "x" * 5000},
        {"actor": "\x00"},
    ],
)
def test_junk_in_the_filter_never_breaks_the_page(english, sign_in, auditor, events, query):
    sign_in(english, auditor)
    response = english.get("/audit/", query)
    assert response.status_code in (200, 400)
    if response.status_code == 200 and response.context["form"].errors:
        assert set(response.context["form"].errors) <= set(query)
        assert "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "junk"),
    [("since", "2026-13-45"), ("until", "soon"), ("agency", "abc"), ("action", "x" * 81)],
)
def test_junk_in_the_filter_gets_a_field_message_and_no_events(
    client, sign_in, auditor, events, field, junk
):
    sign_in(client, auditor)
    response = client.get("/audit/", {field: junk})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _shown(response) == set()


def test_actions_and_objects_read_in_the_readers_language(client, sign_in, auditor, events):
    client.cookies["birge_language"] = "az"
    sign_in(client, auditor)
    page = client.get("/audit/", {"action": "user."}).content.decode()

    assert '<span title="user.deactivated">İstifadəçi deaktiv edildi</span>' in page
    assert re.search(r"<td[^>]*>İş 7</td>", page)


def test_a_case_the_reader_may_not_see_is_named_by_kind_and_number(
    english, sign_in, auditor, events
):
    sign_in(english, auditor)
    page = english.get("/audit/", {"action": "user."}).content.decode()

    assert '<td data-label="Object">Case 7</td>' in page


def test_a_case_the_reader_may_see_is_named_by_its_reference(officer, outsider):
    case = register_case(officer)
    event = event_record(action="case.viewed", actor=officer, object_type="case", object_id=case.pk)

    with translation.override("en"):
        assert audit_object_names(viewer=officer, events=[event]) == {event.pk: case.reference}
        assert audit_object_names(viewer=outsider, events=[event]) == {event.pk: f"Case {case.pk}"}


def test_naming_the_objects_costs_the_same_for_few_and_many_events(
    client, sign_in, auditor, officer, lead, django_assert_max_num_queries
):
    case = register_case(officer)
    event_record(action="case.viewed", actor=officer, object_type="case", object_id=case.pk)
    event_record(action="user.updated", actor=lead, object_type="user", object_id=officer.pk)
    sign_in(client, auditor)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(20):
        event_record(action="case.viewed", actor=officer, object_type="case", object_id=case.pk)
        event_record(action="user.updated", actor=lead, object_type="user", object_id=lead.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/audit/")
