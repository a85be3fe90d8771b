from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from birge.audit.models import AuditEvent

WRONG = "Wrong-Horse-Battery-Staple-42"
HOME_IP = "198.51.100.10"
OTHER_IP = "203.0.113.20"


@pytest.fixture
def five_failures(client, officer, password_sign_in):
    for _ in range(5):
        password_sign_in(client, officer, password=WRONG, ip=HOME_IP)


def _signed_in(client, user) -> bool:
    return client.session.get(SESSION_KEY) == str(user.pk)


def test_four_failures_still_let_the_right_password_in(client, officer, password_sign_in):
    for _ in range(4):
        response = password_sign_in(client, officer, password=WRONG, ip=HOME_IP)
        assert response.status_code == 200

    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 302
    assert _signed_in(client, officer)


def test_it_pauses_sign_in_after_five_failures(client, officer, password_sign_in, five_failures):
    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 429
    assert "paused for 15 minutes" in response.content.decode()
    assert not _signed_in(client, officer)


def test_the_pause_is_recorded_in_the_database(client, officer, five_failures):
    attempt = AccessAttempt.objects.get(username="officer", ip_address=HOME_IP)
    assert attempt.failures_since_start == 5


def test_the_pause_writes_a_lockout_event(client, officer, five_failures):
    event = AuditEvent.objects.filter(action="auth.lockout").first()

    assert event is not None
    assert event.actor_id == officer.pk
    assert event.ip == HOME_IP


def test_the_pause_does_not_apply_from_another_address(
    client, officer, password_sign_in, five_failures
):
    response = password_sign_in(client, officer, ip=OTHER_IP)

    assert response.status_code == 302
    assert _signed_in(client, officer)


def test_the_pause_does_not_apply_to_a_colleague_at_the_same_address(
    client, officer, colleague, password_sign_in, five_failures
):
    response = password_sign_in(client, colleague, ip=HOME_IP)

    assert response.status_code == 302
    assert _signed_in(client, colleague)


def test_the_right_password_works_again_after_15_minutes(client, officer, password_sign_in, frozen):
    for _ in range(5):
        password_sign_in(client, officer, password=WRONG, ip=HOME_IP)
    frozen.shift(timedelta(minutes=14))
    assert password_sign_in(client, officer, ip=HOME_IP).status_code == 429

    frozen.shift(timedelta(minutes=15, seconds=1))
    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 302
    assert _signed_in(client, officer)


def test_trying_again_during_the_pause_does_not_make_it_longer(
    client, officer, password_sign_in, frozen
):
    for _ in range(5):
        password_sign_in(client, officer, password=WRONG, ip=HOME_IP)
    frozen.shift(timedelta(minutes=10))
    assert password_sign_in(client, officer, ip=HOME_IP).status_code == 429

    frozen.shift(timedelta(minutes=5, seconds=1))
    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, officer, password_sign_in):
    for _ in range(4):
        password_sign_in(client, officer, password=WRONG, ip=HOME_IP)
    password_sign_in(client, officer, ip=HOME_IP)
    client.post("/account/logout/")

    for _ in range(4):
        password_sign_in(client, officer, password=WRONG, ip=HOME_IP)
    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 302


def test_the_pause_page_offers_a_password_reset(client, officer, password_sign_in, five_failures):
    response = password_sign_in(client, officer, ip=HOME_IP)

    assert response.status_code == 429
    assert 'href="/account/password/forgotten/"' in response.content.decode()
