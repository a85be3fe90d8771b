"""What an audit event records: who, from which agency, when (UTC), what, from where."""

from datetime import UTC, datetime

from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.audit.services import event_record


def test_an_event_made_during_a_request_carries_its_context(client, sign_in, lead, officer):
    sign_in(client, lead)
    response = client.post(
        f"/admin/users/{officer.pk}/deactivate/",
        {"reason": "Left the service"},
        REMOTE_ADDR="203.0.113.7",
    )

    event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor == lead
    assert event.actor_label == "lead"
    assert event.agency == lead.agency
    assert (event.object_type, event.object_id) == ("user", str(officer.pk))
    assert event_reason(event) == "Left the service"
    assert event.ip == "203.0.113.7"
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32


def test_each_request_has_its_own_id(client, sign_in, lead, officer, colleague):
    sign_in(client, lead)
    client.post(f"/admin/users/{officer.pk}/deactivate/", {"reason": "one"})
    client.post(f"/admin/users/{colleague.pk}/deactivate/", {"reason": "two"})
    ids = set(
        AuditEvent.objects.filter(action="user.deactivated").values_list("request_id", flat=True)
    )
    assert len(ids) == 2


def test_the_time_is_stored_and_read_back_in_utc(officer, time_machine):
    time_machine.move_to(datetime(2026, 3, 1, 22, 30, tzinfo=UTC), tick=False)
    with timezone.override("Asia/Baku"):
        event = event_record(action="test.viewed", actor=officer)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.occurred_at == datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
    assert stored.occurred_at.utcoffset().total_seconds() == 0
    assert stored.content()["occurred_at"] == "2026-03-01T22:30:00.000000+00:00"


def test_the_client_address_comes_from_the_proxy_when_one_is_configured(
    client, sign_in, lead, officer, settings
):
    settings.BIRGE_PROXY_COUNT = 1
    sign_in(client, lead)
    client.post(
        f"/admin/users/{officer.pk}/deactivate/",
        {"reason": "x"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4, 192.0.2.10",
    )
    assert AuditEvent.objects.get(action="user.deactivated").ip == "192.0.2.10"


def test_a_forged_forwarded_address_is_ignored_without_a_proxy(client, sign_in, lead, officer):
    sign_in(client, lead)
    client.post(
        f"/admin/users/{officer.pk}/deactivate/",
        {"reason": "x"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert AuditEvent.objects.get(action="user.deactivated").ip == "10.0.0.1"


def test_an_event_outside_a_request_has_no_address_or_request_id(officer):
    event = event_record(action="test.viewed", actor=officer)
    assert (event.ip, event.request_id) == (None, "")


def test_an_event_without_an_actor_keeps_the_name_given(db):
    event = event_record(action="auth.login.failed", actor_label="nobody")
    assert (event.actor, event.agency, event.actor_label) == (None, None, "nobody")


def test_signing_in_and_out_is_recorded(client, officer):
    client.post("/account/login/", {"username": "officer", "password": "wrong password here"})
    client.force_login(officer)
    client.post("/account/logout/")
    actions = list(
        AuditEvent.objects.filter(actor=officer).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["auth.login.failed", "auth.login", "auth.logout"]


def test_an_unknown_username_in_a_failed_sign_in_is_not_stored(client, db):
    client.post("/account/login/", {"username": "my secret password", "password": "x" * 12})
    event = AuditEvent.objects.get(action="auth.login.failed")
    assert event.actor_label == ""
    assert event.data == {"unknown_username": True}
