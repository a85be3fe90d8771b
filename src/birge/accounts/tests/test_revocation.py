"""Deactivation ends every way in for good: reactivating a person gives back none of her
sessions (kept in the database or in the cache), API tokens or password links; she signs
in again, two-factor check included. A two-factor reset and a new password end them too."""

import re
from datetime import timedelta
from unittest.mock import ANY

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import mail
from django.test import Client
from knox.models import AuthToken

from birge.accounts.tests.conftest import code_now
from birge.agencies.tests.factories import PASSWORD
from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason

LOGIN = "/account/login/"
ME = "/api/v1/me/"
NEW_PASSWORD = "a brand new sentence to remember"


@pytest.fixture(params=["db", "cached_db"])
def session_engine(request, settings):
    """Both ways Birge keeps sessions: the database, and the database behind a cache
    (Redis at scale)."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    return request.param


@pytest.fixture
def officers_phone(officer, phone):
    return phone(officer)


@pytest.fixture
def browser(session_engine, officer, officers_phone, sign_in, frozen):
    """The officer's browser, signed in with both factors before anything happens."""
    browser = sign_in(Client(), officer)
    browser.cookies["birge_language"] = "en"
    assert browser.get("/").status_code == 200
    return browser


@pytest.fixture
def token(officer, officers_phone, frozen):
    """An API token the officer took with her password and a code."""
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": "officer", "password": PASSWORD, "code": code_now(officers_phone)},
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


@pytest.fixture
def admin_page(lead, sign_in):
    """The agency lead's browser, on the user administration pages."""
    page = sign_in(Client(), lead)

    def act(user, action: str, reason: str = "Left the service"):
        response = page.post(f"/admin/users/{user.pk}/{action}/", {"reason": reason})
        assert response.status_code == 302
        return response

    return act


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def _api(token: str, path: str = ME):
    return Client().get(path, headers={"Authorization": f"Token {token}"})


def test_reactivating_a_person_revives_neither_her_session_nor_her_token(
    browser, token, admin_page, officer, session_engine
):
    cookie = browser.cookies["birge_session"].value

    admin_page(officer, "deactivate")
    admin_page(officer, "reactivate", reason="Back from leave")

    assert _sent_to_sign_in(browser.get("/"))
    replayed = Client()
    replayed.cookies["birge_session"] = cookie
    assert _sent_to_sign_in(replayed.get("/"))
    assert _sent_to_sign_in(replayed.get("/cases/"))
    assert _api(token).status_code == 401


def test_the_old_session_is_refused_before_reactivation_too_and_the_refusal_is_recorded(
    browser, admin_page, officer
):
    admin_page(officer, "deactivate")

    response = browser.get("/", follow=True)

    assert response.request["PATH_INFO"] == LOGIN
    assert "Your session ended. Please sign in again." in response.content.decode()
    event = AuditEvent.objects.get(action="auth.session.expired")
    assert (event.actor_id, event.object_id, event.data) == (
        officer.pk,
        str(officer.pk),
        {"why": "revoked"},
    )
    # Ended once and for good: no new event at each later request.
    browser.get("/")
    assert AuditEvent.objects.filter(action="auth.session.expired").count() == 1


def test_the_deactivation_records_what_it_ended(browser, token, admin_page, officer):
    admin_page(officer, "deactivate")

    event = AuditEvent.objects.get(action="user.deactivated", object_id=str(officer.pk))
    assert event.data == {"sessions_ended": True, "api_tokens_revoked": 1, "reason": ANY}
    assert event_reason(event) == "Left the service"


def test_after_reactivation_she_signs_in_again_with_her_second_factor(
    browser, admin_page, officer, officers_phone, frozen
):
    admin_page(officer, "deactivate")
    admin_page(officer, "reactivate", reason="Back from leave")
    again = Client()

    response = again.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert again.get("/")["Location"].startswith("/account/two-factor/")

    frozen.shift(timedelta(minutes=1))
    again.post("/account/two-factor/", {"code": code_now(officers_phone)})
    assert again.get("/").status_code == 200


def test_a_password_link_sent_before_deactivation_no_longer_works_after_reactivation(
    client, admin_page, lead, officer, sign_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), lead).post(f"/admin/users/{officer.pk}/invite/")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    admin_page(officer, "deactivate")
    admin_page(officer, "reactivate", reason="Back from leave")

    page = client.get(link, follow=True)
    assert "This link has expired or has already been used." in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_a_link_sent_after_reactivation_works(
    client, admin_page, lead, officer, sign_in, django_capture_on_commit_callbacks
):
    admin_page(officer, "deactivate")
    admin_page(officer, "reactivate", reason="Back from leave")
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), lead).post(f"/admin/users/{officer.pk}/invite/")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    page = client.get(link, follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert _sent_to_sign_in(response)
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)


def test_a_colleagues_session_and_token_go_on(
    browser, token, admin_page, officer, colleague, sign_in, session_engine
):
    other = sign_in(Client(), colleague)
    _instance, colleague_token = AuthToken.objects.create(colleague)

    admin_page(officer, "deactivate")

    assert other.get("/").status_code == 200
    assert _api(colleague_token).status_code == 200


def test_a_two_factor_reset_ends_her_sessions_and_tokens(browser, token, admin_page, officer):
    admin_page(officer, "reset-2fa", reason="Lost her phone")

    # Without this, the old session would be led to enrol a new authenticator.
    assert _sent_to_sign_in(browser.get("/account/two-factor/setup/"))
    assert _api(token).status_code == 401
    event = AuditEvent.objects.get(action="user.2fa_reset")
    assert event.data == {"sessions_ended": True, "api_tokens_revoked": 1, "reason": ANY}


def test_changing_her_password_ends_her_tokens_and_other_sessions_but_not_this_one(
    browser, token, officer, sign_in
):
    laptop = sign_in(Client(), officer)

    response = browser.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert browser.get("/").status_code == 200
    assert _sent_to_sign_in(laptop.get("/"))
    assert _api(token).status_code == 401
    event = AuditEvent.objects.get(action="auth.password.changed")
    assert event.data == {"api_tokens_revoked": 1}


def test_choosing_a_password_from_a_link_ends_her_tokens_and_sessions(
    client, browser, token, lead, officer, sign_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(Client(), lead).post(f"/admin/users/{officer.pk}/invite/")
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert _sent_to_sign_in(browser.get("/"))
    assert _api(token).status_code == 401
    assert AuditEvent.objects.get(action="auth.password.set").data == {"api_tokens_revoked": 1}


def test_sessions_signed_in_before_generations_existed_go_on(officer):
    """Generation 0 gives Django's own session hash: deploying this ends nobody's session."""
    assert officer.session_generation == 0
    assert officer.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(officer)
