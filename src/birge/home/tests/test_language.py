"""The interface speaks Azerbaijani, Russian or English, as the person chooses."""

import pytest
from django.test import Client

from birge.agencies.tests.factories import PASSWORD
from birge.audit.models import AuditEvent


def _lang(response) -> str:
    page = response.content.decode()
    start = page.index("<html lang=") + len('<html lang="')
    return page[start : page.index('"', start)]


@pytest.mark.parametrize("language", ["ru", "en", "az"])
def test_choosing_a_language_sets_the_cookie_and_the_next_page_speaks_it(client, db, language):
    response = client.post("/language/", {"language": language, "next": "/account/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    cookie = response.cookies["birge_language"]
    assert cookie.value == language
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 60 * 60 * 24 * 30

    page = client.get("/account/login/")
    assert _lang(page) == language
    assert page["Content-Language"] == language


def test_the_next_page_is_translated_not_only_labelled(client, db):
    client.post("/language/", {"language": "ru"})
    russian = client.get("/account/login/").content.decode()
    client.post("/language/", {"language": "en"})
    english = client.get("/account/login/").content.decode()
    assert "Sign in" in english
    assert "Sign in" not in russian


def test_pages_open_in_azerbaijani_whatever_the_browser_asks(client, db):
    page = client.get("/account/login/", HTTP_ACCEPT_LANGUAGE="ru,en;q=0.8")
    assert _lang(page) == "az"
    assert page["Content-Language"] == "az"


@pytest.mark.parametrize("junk", ["de", "", "RU", "ru-RU", "x" * 5000, "../en"])
def test_an_unknown_language_is_ignored(client, db, junk):
    client.post("/language/", {"language": "ru"})
    response = client.post("/language/", {"language": junk})

    assert response.status_code == 302
    assert "birge_language" not in response.cookies
    assert _lang(client.get("/account/login/")) == "ru"


def test_a_language_missing_from_the_form_is_ignored(client, db):
    response = client.post("/language/", {})
    assert response.status_code == 302
    assert "birge_language" not in response.cookies


def test_a_junk_cookie_falls_back_to_azerbaijani(client, db):
    client.cookies["birge_language"] = "klingon"
    page = client.get("/account/login/")
    assert _lang(page) == "az"
    assert page["Content-Language"] == "az"


def test_the_language_switch_takes_post_only(client, db):
    assert client.get("/language/", {"language": "ru"}).status_code == 405


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/account/login/",
        "///evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "https://testserver.evil.example/",
    ],
)
def test_the_next_address_cannot_lead_off_site(client, db, next_url):
    response = client.post("/language/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_next_address_on_this_site_is_kept(client, db):
    response = client.post("/language/", {"language": "en", "next": "/admin/users/?q=a"})
    assert response["Location"] == "/admin/users/?q=a"


def test_a_signed_in_persons_choice_is_saved_on_her_account(client, sign_in, officer):
    sign_in(client, officer)
    client.post("/language/", {"language": "ru", "next": "/"})

    officer.refresh_from_db()
    assert officer.language == "ru"
    page = client.get("/")
    assert _lang(page) == "ru"
    assert page["Content-Language"] == "ru"


def test_an_unknown_language_is_not_saved_on_the_account(client, sign_in, officer):
    sign_in(client, officer)
    client.post("/language/", {"language": "ru"})
    client.post("/language/", {"language": "de"})
    officer.refresh_from_db()
    assert officer.language == "ru"


def _password_sign_in(client, user):
    return client.post(
        "/account/login/", {"username": user.username, "password": PASSWORD}, follow=True
    )


def test_the_saved_language_follows_her_to_another_computer(officer, settings):
    settings.BIRGE_REQUIRE_2FA = False
    at_work = Client()
    _password_sign_in(at_work, officer)
    at_work.post("/language/", {"language": "ru"})
    officer.refresh_from_db()
    assert officer.language == "ru"

    elsewhere = Client()
    assert _lang(elsewhere.get("/account/login/")) == "az"
    response = _password_sign_in(elsewhere, officer)

    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200
    assert _lang(response) == "ru"
    assert response["Content-Language"] == "ru"
    assert elsewhere.cookies["birge_language"].value == "ru"
    assert AuditEvent.objects.filter(action="auth.login", actor=officer).count() == 2


def test_a_person_who_never_chose_keeps_the_computers_language(client, officer, settings):
    settings.BIRGE_REQUIRE_2FA = False
    client.post("/language/", {"language": "en"})
    response = _password_sign_in(client, officer)
    assert response.redirect_chain[-1][0] == "/"
    assert _lang(response) == "en"


def test_a_person_can_switch_language_before_her_second_factor(client, officer, settings):
    # The two-factor page must be readable too: the switch is open before the second factor.
    client.force_login(officer)
    response = client.post("/language/", {"language": "en", "next": "/account/two-factor/setup/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/setup/"
    assert response.cookies["birge_language"].value == "en"
