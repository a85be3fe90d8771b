"""Email: a notification also goes out by email, sent by the `notification_emails` job
(never from the request that raised it), to people who have an address and have not
turned it off; one email per person and pass, saying only that something waits in Birge,
with a link to the inbox. Preferences: one checkbox, on by default."""

import base64
import logging

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases import services as case_services
from birge.cases.tests.factories import register_case
from birge.jobs.registry import jobs_run
from birge.notifications.models import Notification, NotificationPreference
from birge.notifications.services import notify

REASON = "She was brought to our station at night with injuries; we need her history."


@pytest.fixture(autouse=True)
def _known_keys(settings):
    settings.BIRGE_ENCRYPTION_KEYS = ["k1:" + base64.b64encode(bytes(range(32))).decode()]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64
    settings.BIRGE_BASE_URL = "https://birge.example.gov.az"


def emails_job() -> int:
    return jobs_run(names=["notification_emails"])["notification_emails"]


def test_the_email_goes_from_the_job_not_from_the_request(officer, mailoutbox):
    with transaction.atomic():
        notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "X"})
    assert mailoutbox == []

    assert emails_job() == 1

    assert [mail.to for mail in mailoutbox] == [["officer@example.invalid"]]
    assert "https://birge.example.gov.az/notifications/" in mailoutbox[0].body
    assert emails_job() == 0  # sent once
    assert len(mailoutbox) == 1


def test_a_rolled_back_change_sends_no_email(officer, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "X"})
        raise RuntimeError

    assert emails_job() == 0
    assert mailoutbox == []


def test_several_notifications_make_one_email(officer, colleague, mailoutbox):
    notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "X"})
    notify(recipients=[officer, colleague], kind="case.coordinator_assigned")
    notify(recipients=[officer], kind="case.coordinator_assigned", params={"reference": "Y"})

    assert emails_job() == 2

    assert sorted(mail.to[0] for mail in mailoutbox) == [colleague.email, officer.email]


def test_no_email_for_what_she_has_read_meanwhile(officer, mailoutbox):
    notify(recipients=[officer], kind="case.coordinator_assigned")
    Notification.objects.filter(recipient=officer).update(read_at=timezone.now())

    assert emails_job() == 0

    assert mailoutbox == []
    assert not Notification.objects.filter(email_due=True).exists()


def test_emails_carry_no_personal_data(officer, auditor, mailoutbox):
    coordinator = UserFactory(
        username="coordinator", agency=officer.agency, roles=["case_coordinator"]
    )
    case = register_case(officer, victim={"first_name": "Gülnarə", "last_name": "Məmmədova"})
    stranger = UserFactory(
        username="stranger",
        agency=AgencyFactory(code="police-ganja", kind="police"),
        roles=["case_coordinator"],
    )
    emails_job()
    mailoutbox.clear()

    case_services.emergency_access_start(user=stranger, reference=case.reference, reason=REASON)
    emails_job()

    assert {address for mail in mailoutbox for address in mail.to} >= {
        coordinator.email,
        auditor.email,
    }
    for mail in mailoutbox:
        text = f"{mail.subject}\n{mail.body}"
        for secret in ["Gülnarə", "Məmmədova", case.reference, REASON, "police-ganja", "Ganja"]:
            assert secret not in text
    assert Notification.objects.filter(params__reference=case.reference).exists()


def test_no_email_when_she_turned_it_off(officer, colleague, mailoutbox):
    created = notify(recipients=[officer, colleague], kind="case.coordinator_assigned")
    # Decided when the job runs: she turned it off after the notification was raised.
    NotificationPreference.objects.create(user=officer, email=False)

    emails_job()

    assert created == 2
    assert [mail.to for mail in mailoutbox] == [["colleague@example.invalid"]]


def test_no_email_without_an_address(officer, mailoutbox):
    officer.email = ""
    officer.save(update_fields=["email"])

    notify(recipients=[officer], kind="case.coordinator_assigned")
    emails_job()

    assert mailoutbox == []
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_a_repeated_event_sends_no_second_email(officer, mailoutbox):
    assert notify(recipients=[officer], kind="case.coordinator_assigned", dedupe_key="e:1") == 1
    assert notify(recipients=[officer], kind="case.coordinator_assigned", dedupe_key="e:1") == 0
    emails_job()
    assert notify(recipients=[officer], kind="case.coordinator_assigned", dedupe_key="e:1") == 0
    emails_job()

    assert len(mailoutbox) == 1


def test_a_failing_mail_server_loses_nothing_and_logs_no_address(
    officer, colleague, mailoutbox, monkeypatch, caplog
):
    from django.core import mail

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(f"cannot send to {officer.email}")

    notify(recipients=[officer, colleague], kind="case.coordinator_assigned")
    monkeypatch.setattr("birge.notifications.services.send_mail", refuse)
    with caplog.at_level(logging.WARNING):
        assert emails_job() == 0

    assert Notification.objects.filter(email_due=True).count() == 2  # both still to tell
    assert "ConnectionRefusedError" in caplog.text
    assert officer.email not in caplog.text

    monkeypatch.setattr("birge.notifications.services.send_mail", mail.send_mail)
    assert emails_job() == 2  # the server is back: the next pass tells them
    assert sorted(m.to[0] for m in mailoutbox) == [colleague.email, officer.email]


def test_without_a_base_url_the_link_uses_the_first_allowed_host(officer, mailoutbox, settings):
    del settings.BIRGE_BASE_URL
    settings.ALLOWED_HOSTS = ["birge.example.gov.az"]
    settings.BIRGE_HTTPS = True

    notify(recipients=[officer], kind="case.coordinator_assigned")
    emails_job()

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
