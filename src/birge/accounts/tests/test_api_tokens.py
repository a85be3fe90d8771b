import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from birge.accounts import services
from birge.accounts.tests.conftest import code_now
from birge.agencies.tests.factories import PASSWORD
from birge.audit.models import AuditEvent

TOKEN = "/api/v1/auth/token/"
REVOKE = "/api/v1/auth/token/revoke/"
ME = "/api/v1/me/"
WRONG = "Wrong-Horse-Battery-Staple-42"


def _ask(client, body, ip="127.0.0.1", content_type="application/json"):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(TOKEN, data, content_type=content_type, REMOTE_ADDR=ip)


def _me(client, token):
    return client.get(ME, headers={"Authorization": f"Token {token}"})


@pytest.fixture
def officers_phone(officer, phone):
    return phone(officer)


# --- Bad requests get field-level answers, never a server error -----------------------


@pytest.mark.parametrize(
    "body",
    ["{not json", "", "null", "[1, 2]", '"officer"', json.dumps({"username": {"a": 1}})],
)
def test_it_answers_malformed_requests_with_400(client, db, body):
    response = _ask(client, body)

    assert response.status_code == 400
    assert response.json()


def test_it_names_the_missing_fields(client, db):
    response = _ask(client, {})

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_it_refuses_fields_of_the_wrong_type(client, db):
    response = _ask(client, {"username": ["officer"], "password": None, "code": {"x": 1}})

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password", "code"}


def test_it_refuses_an_overlong_password_without_hashing_it(client, officer):
    response = _ask(client, {"username": "officer", "password": "p" * 100_000})

    assert response.status_code == 400
    assert "password" in response.json()


def test_it_refuses_form_encoded_requests(client, db):
    response = client.post(TOKEN, {"username": "officer", "password": PASSWORD})

    assert response.status_code == 415


def test_it_refuses_a_wrong_password(client, officer, officers_phone):
    response = _ask(client, {"username": "officer", "password": WRONG})

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert AuditEvent.objects.filter(action="auth.login.failed", actor=officer).exists()


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client, officer):
    known = _ask(client, {"username": "officer", "password": WRONG}).json()
    unknown = _ask(client, {"username": "nobody", "password": WRONG}).json()

    assert known == unknown


def test_a_deactivated_person_gets_no_token(client, officer, officers_phone, frozen):
    officer.is_active = False
    officer.save()

    response = _ask(client, {"username": "officer", "password": PASSWORD})

    assert response.status_code == 400
    assert "token" not in response.json()


# --- Two-factor -----------------------------------------------------------------------


def test_it_asks_an_enrolled_person_for_her_code(client, officer, officers_phone):
    response = _ask(client, {"username": "officer", "password": PASSWORD})

    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert AuditEvent.objects.filter(action="api.token.failed", actor=officer).exists()


def test_it_refuses_a_wrong_code(client, officer, officers_phone, frozen):
    wrong = f"{(int(code_now(officers_phone)) + 1) % 1000000:06d}"

    response = _ask(client, {"username": "officer", "password": PASSWORD, "code": wrong})

    assert response.status_code == 400
    assert list(response.json()) == ["code"]


def test_it_gives_a_token_for_password_and_code(client, officer, officers_phone, frozen):
    response = _ask(
        client, {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)}
    )

    assert response.status_code == 201
    body = response.json()
    assert parse_datetime(body["expiry"]) == timezone.now() + timedelta(hours=12)
    assert _me(client, body["token"]).json()["username"] == "officer"
    assert AuditEvent.objects.filter(action="api.token.created", actor=officer).exists()


def test_a_recovery_code_gives_a_token_once(client, officer, officers_phone, frozen):
    codes = services.recovery_codes_generate(user=officer)
    body = {"username": "officer", "password": PASSWORD, "code": codes[0]}

    first = _ask(client, body)
    frozen.shift(timedelta(minutes=1))
    second = _ask(client, body)

    assert first.status_code == 201
    assert second.status_code == 400
    assert list(second.json()) == ["code"]


def test_a_person_without_two_factor_gets_no_token(client, officer):
    response = _ask(client, {"username": "officer", "password": PASSWORD})

    assert response.status_code == 400
    assert "code" in response.json()


def test_without_the_requirement_a_password_gives_a_token(client, officer, settings):
    settings.BIRGE_REQUIRE_2FA = False

    response = _ask(client, {"username": "officer", "password": PASSWORD})

    assert response.status_code == 201
    assert _me(client, response.json()["token"]).status_code == 200


def test_it_never_logs_the_password_or_the_code(client, officer, officers_phone, frozen):
    code = code_now(officers_phone)
    _ask(client, {"username": "officer", "password": WRONG})
    _ask(client, {"username": "officer", "password": PASSWORD, "code": code})
    from axes.models import AccessAttempt

    logged = json.dumps(
        [[e.content() for e in AuditEvent.objects.all()], list(AccessAttempt.objects.values())],
        default=str,
    )
    assert WRONG not in logged
    assert PASSWORD not in logged
    assert code not in logged


# --- Using and ending a token ---------------------------------------------------------


@pytest.fixture
def token(client, officer, officers_phone, frozen):
    body = {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)}
    return _ask(client, body).json()["token"]


def test_a_revoked_token_no_longer_works(client, officer, token):
    response = client.post(REVOKE, headers={"Authorization": f"Token {token}"})

    assert response.status_code == 204
    assert _me(client, token).status_code == 401
    assert AuditEvent.objects.filter(action="api.token.revoked", actor=officer).exists()


def test_revoking_one_token_leaves_the_others(client, officer, officers_phone, token, frozen):
    frozen.shift(timedelta(minutes=1))
    body = {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)}
    other = _ask(client, body).json()["token"]

    client.post(REVOKE, headers={"Authorization": f"Token {token}"})

    assert _me(client, other).status_code == 200


def test_revoking_needs_a_token(client, db):
    assert client.post(REVOKE).status_code == 401


def test_a_token_ends_after_twelve_hours(client, token, frozen):
    frozen.shift(timedelta(hours=11, minutes=59))
    assert _me(client, token).status_code == 200

    frozen.shift(timedelta(minutes=2))
    assert _me(client, token).status_code == 401


def test_a_token_stops_working_when_the_person_is_deactivated(client, officer, token):
    officer.is_active = False
    officer.save()

    assert _me(client, token).status_code == 401


# --- Lockout --------------------------------------------------------------------------


def test_five_wrong_passwords_pause_token_requests(client, officer, officers_phone, frozen):
    for _ in range(5):
        _ask(client, {"username": "officer", "password": WRONG}, ip="198.51.100.10")

    response = _ask(
        client,
        {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)},
        ip="198.51.100.10",
    )

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "paused" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="auth.lockout", actor=officer).exists()


def test_the_api_pause_ends_after_15_minutes(client, officer, officers_phone, frozen):
    for _ in range(5):
        _ask(client, {"username": "officer", "password": WRONG}, ip="198.51.100.10")
    frozen.shift(timedelta(minutes=15, seconds=1))

    response = _ask(
        client,
        {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)},
        ip="198.51.100.10",
    )

    assert response.status_code == 201
