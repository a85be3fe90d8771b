import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils.html import escape

from birge.accounts.forms import SignInForm
from birge.accounts.tests.conftest import english, errors_of
from birge.agencies.tests.factories import PASSWORD, UserFactory
from birge.audit.models import AuditEvent

WRONG = "Wrong-Horse-Battery-Staple-42"


def _everything_logged() -> str:
    """All audit events and login attempts as one text, to look for what must not be there."""
    from axes.models import AccessAttempt

    events = [event.content() for event in AuditEvent.objects.all()]
    attempts = list(AccessAttempt.objects.values())
    return json.dumps([events, attempts], default=str)


def test_the_sign_in_page_shows_a_form(client, db):
    response = client.get("/account/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html


def test_it_signs_in_with_the_right_password(client, officer, password_sign_in):
    response = password_sign_in(client, officer)

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == officer.pk


def test_it_writes_a_login_event(client, officer, password_sign_in):
    password_sign_in(client, officer, ip="192.0.2.7")

    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_id == officer.pk
    assert event.agency_id == officer.agency_id
    assert event.ip == "192.0.2.7"
    assert event.request_id


def test_it_refuses_a_wrong_password_with_a_message(client, officer, password_sign_in):
    response = password_sign_in(client, officer, password=WRONG)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    message = english(SignInForm.error_messages["invalid_login"])
    assert errors_of(response) == [message]
    assert escape(message) in response.content.decode()


def test_a_wrong_password_does_not_speak_of_marked_fields(client, officer, password_sign_in):
    """No field is marked after a wrong password: the page says what is wrong, once."""
    html = password_sign_in(client, officer, password=WRONG).content.decode()

    assert "fields marked" not in html
    assert 'aria-invalid="true"' not in html
    assert html.count("There is a problem") == 1
    message = escape(english(SignInForm.error_messages["invalid_login"]))
    assert html.count(message) == 1


def test_empty_fields_are_marked_and_the_summary_links_to_them(client, db):
    html = client.post("/account/login/", {"username": "", "password": ""}).content.decode()

    assert html.count('aria-invalid="true"') == 2
    assert 'href="#id_username"' in html and 'href="#id_password"' in html


def test_it_keeps_the_username_after_a_wrong_password(client, officer, password_sign_in):
    response = password_sign_in(client, officer, password=WRONG)

    assert 'value="officer"' in response.content.decode()


def test_it_asks_for_both_fields(client, db):
    response = client.post("/account/login/", {"username": "", "password": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}


def test_it_does_not_break_on_odd_input(client, db):
    for data in (
        {"username": "officer\x00", "password": "x"},
        {"username": "o" * 5000, "password": "p" * 5000},
        {"username": ["a", "b"], "password": ["c", "d"]},
        {},
    ):
        response = client.post("/account/login/", data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data


def test_it_writes_a_failed_login_event(client, officer, password_sign_in):
    password_sign_in(client, officer, password=WRONG)

    event = AuditEvent.objects.get(action="auth.login.failed")
    assert event.actor_id == officer.pk
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_it_never_logs_the_typed_password(client, officer, password_sign_in):
    password_sign_in(client, officer, password=WRONG)
    password_sign_in(client, officer)

    logged = _everything_logged()
    assert AuditEvent.objects.filter(action__in=["auth.login", "auth.login.failed"]).count() == 2
    assert WRONG not in logged
    assert PASSWORD not in logged


def test_it_does_not_log_an_unknown_username(client, db):
    # A person who types her password into the username field must not find it in the log.
    typed = "MySecretPassphrase2026"
    client.post("/account/login/", {"username": typed, "password": WRONG})

    event = AuditEvent.objects.get(action="auth.login.failed")
    assert event.actor_id is None
    assert event.data == {"unknown_username": True}
    assert typed not in json.dumps(event.content())


def test_it_does_not_sign_in_a_deactivated_account(client, officer, password_sign_in):
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    response = password_sign_in(client, officer)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors()
    assert AuditEvent.objects.filter(action="auth.login.failed", actor=officer).exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_the_username_is_case_sensitive(client, officer, password_sign_in):
    response = client.post("/account/login/", {"username": "OFFICER", "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_sends_a_signed_in_person_on_to_the_next_page(client, officer):
    from django.test import override_settings

    with override_settings(BIRGE_REQUIRE_2FA=False):
        response = client.post(
            "/account/login/?next=/account/",
            {"username": "officer", "password": PASSWORD, "next": "/account/"},
        )

    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_it_does_not_send_a_signed_in_person_to_another_site(client, officer):
    response = client.post(
        "/account/login/",
        {"username": "officer", "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_it_remembers_the_persons_language(client, police, password_sign_in):
    person = UserFactory(username="leyla", agency=police, language="ru")

    response = password_sign_in(client, person)

    assert response.cookies["birge_language"].value == "ru"
    assert response.cookies["birge_language"]["httponly"]


@pytest.mark.real_password_hashing
def test_an_old_password_hash_is_upgraded_to_argon2id_on_sign_in(client, officer):
    from django.contrib.auth.hashers import make_password

    officer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    officer.save(update_fields=["password"])

    client.post("/account/login/", {"username": "officer", "password": PASSWORD})

    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")


def test_signing_out_ends_the_session(client, officer, sign_in):
    sign_in(client, officer)

    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/account/login/")
    assert AuditEvent.objects.filter(action="auth.logout", actor=officer).exists()


def test_an_overlong_username_gets_a_field_message(client, db):
    response = client.post("/account/login/", {"username": "o" * 300, "password": WRONG})

    assert response.status_code == 200
    assert errors_of(response, "username")
