"""Email: a notification also goes out by email, after the change commits, to people who
have an address and have not turned it off; the email only says that something waits in
Birge, with a link to the inbox. Preferences: one checkbox, on by default."""

import base64
import logging

import pytest
from django.db import transaction
from django.test import Client

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases import services as case_services
from birge.cases.tests.factories import register_case
from birge.notifications.models import Notification, NotificationPreference
from birge.notifications.services import notify

REASON = "She was brought to our station at night with injuries; we need her history."


@pytest.fixture(autouse=True)
def _known_keys(settings):
    settings.BIRGE_ENCRYPTION_KEYS = ["k1:" + base64.b64encode(bytes(range(32))).decode()]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64
    settings.BIRGE_BASE_URL = "https://birge.example.gov.az"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as the end of a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_notification_is_emailed_only_once_the_change_commits(officer, mailoutbox, commit):
    with commit(), transaction.atomic():
        notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "X"})
        assert mailoutbox == []

    assert [mail.to for mail in mailoutbox] == [["officer@example.invalid"]]
    assert "https://birge.example.gov.az/notifications/" in mailoutbox[0].body


def test_a_rolled_back_change_sends_no_email(officer, mailoutbox, commit):
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "X"})
        raise RuntimeError

    assert mailoutbox == []


def test_emails_carry_no_personal_data(officer, auditor, mailoutbox, commit):
    coordinator = UserFactory(
        username="coordinator", agency=officer.agency, roles=["case_coordinator"]
    )
    case = register_case(officer, victim={"first_name": "Gülnarə", "last_name": "Məmmədova"})
    stranger = UserFactory(
        username="stranger",
        agency=AgencyFactory(code="police-ganja", kind="police"),
        roles=["case_coordinator"],
    )
    mailoutbox.clear()

    with commit():
        case_services.emergency_access_start(user=stranger, reference=case.reference, reason=REASON)

    assert {address for mail in mailoutbox for address in mail.to} >= {
        coordinator.email,
        auditor.email,
    }
    for mail in mailoutbox:
        text = f"{mail.subject}\n{mail.body}"
        for secret in ["Gülnarə", "Məmmədova", case.reference, REASON, "police-ganja", "Ganja"]:
            assert secret not in text
    assert Notification.objects.filter(params__reference=case.reference).exists()


def test_no_email_when_she_turned_it_off(officer, colleague, mailoutbox, commit):
    NotificationPreference.objects.create(user=officer, email=False)

    with commit():
        created = notify(recipients=[officer, colleague], kind="case.coordinator_assigned")

    assert created == 2
    assert [mail.to for mail in mailoutbox] == [["colleague@example.invalid"]]


def test_no_email_without_an_address(officer, mailoutbox, commit):
    officer.email = ""
    officer.save(update_fields=["email"])

    with commit():
        notify(recipients=[officer], kind="case.coordinator_assigned")

    assert mailoutbox == []
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_a_repeated_event_sends_no_second_email(officer, mailoutbox, commit):
    with commit():
        assert notify(recipients=[officer], kind="case.coordinator_assigned", dedupe_key="e:1") == 1
        assert notify(recipients=[officer], kind="case.coordinator_assigned", dedupe_key="e:1") == 0

    assert len(mailoutbox) == 1


def test_a_failing_mail_server_loses_nothing_and_logs_no_address(
    officer, mailoutbox, commit, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(f"cannot send to {officer.email}")

    monkeypatch.setattr("birge.notifications.services.send_mail", refuse)

    with commit(), caplog.at_level(logging.WARNING):
        notify(recipients=[officer], kind="case.coordinator_assigned")

    assert Notification.objects.filter(recipient=officer).count() == 1
    assert "ConnectionRefusedError" in caplog.text
    assert officer.email not in caplog.text


def test_without_a_base_url_the_link_uses_the_first_allowed_host(
    officer, mailoutbox, commit, settings
):
    del settings.BIRGE_BASE_URL
    settings.ALLOWED_HOSTS = ["birge.example.gov.az"]
    settings.BIRGE_HTTPS = True

    with commit():
        notify(recipients=[officer], kind="case.coordinator_assigned")

    assert "https://birge.example.gov.az/notifications/" in mailoutbox[0].body


# --- Preferences -------------------------------------------------------------------------


@pytest.fixture
def browse(sign_in):
    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


def test_email_is_on_until_she_turns_it_off(browse, officer):
    client = browse(officer)

    html = client.get("/notifications/preferences/").content.decode()
    assert 'name="email"' in html
    assert "checked" in html

    response = client.post("/notifications/preferences/", {})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=officer).email is False
    assert "checked" not in client.get("/notifications/preferences/").content.decode()

    client.post("/notifications/preferences/", {"email": "on"})
    assert NotificationPreference.objects.get(user=officer).email is True


def test_her_preferences_are_her_own(browse, officer, colleague):
    browse(colleague).post("/notifications/preferences/", {})

    assert not NotificationPreference.objects.filter(user=officer).exists()
    assert NotificationPreference.objects.get(user=colleague).email is False


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/notifications/preferences/").status_code == 302


def test_the_inbox_links_to_the_preferences(browse, officer):
    html = browse(officer).get("/notifications/").content.decode()

    assert "/notifications/preferences/" in html
