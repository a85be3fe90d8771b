import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from birge.accounts.tests.conftest import errors_of
from birge.agencies.tests.factories import PASSWORD
from birge.audit.models import AuditEvent

CHANGE = "/account/password/"
GOOD = "Our river flows past seven bridges"


@pytest.fixture
def signed_in(client, officer, sign_in):
    return sign_in(client, officer)


def _change(client, new, old=PASSWORD, again=None):
    return client.post(
        CHANGE,
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if again is None else again,
        },
    )


def _refused_with(response, text) -> bool:
    """Refused, with the message beside the new password and shown on the page."""
    assert response.status_code == 200
    messages = errors_of(response, "new_password2")
    return any(text in m for m in messages) and escape(text) in response.content.decode()


def _password_unchanged(user) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD)


def test_the_page_asks_for_the_old_and_the_new_password(signed_in):
    html = signed_in.get(CHANGE).content.decode()

    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html


def test_eleven_characters_are_too_short(signed_in, officer):
    response = _change(signed_in, "Zq7#mW2!kLp")

    assert _refused_with(response, "at least 12 characters")
    assert _password_unchanged(officer)


def test_twelve_uncommon_characters_are_enough(signed_in, officer):
    response = _change(signed_in, "Zq7#mW2!kLpX")

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Zq7#mW2!kLpX")


def test_128_characters_are_allowed(signed_in, officer):
    long = ("Sunrise over the Caspian " * 6)[:128]

    response = _change(signed_in, long)

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(long)


def test_129_characters_are_too_long(signed_in, officer):
    response = _change(signed_in, ("Sunrise over the Caspian " * 6)[:129])

    assert _refused_with(response, "at most 128 characters")
    assert _password_unchanged(officer)


def test_a_common_password_is_refused(signed_in, officer):
    response = _change(signed_in, "password1234")

    assert _refused_with(response, "This password is too common.")
    assert _password_unchanged(officer)


def test_a_password_like_the_username_is_refused(signed_in, officer):
    response = _change(signed_in, "officer2026!")

    assert _refused_with(response, "too similar to the username")
    assert _password_unchanged(officer)


def test_the_new_password_must_be_typed_twice_the_same(signed_in, officer):
    response = _change(signed_in, GOOD, again=GOOD + "!")

    assert response.status_code == 200
    assert errors_of(response, "new_password2")
    assert _password_unchanged(officer)


def test_the_old_password_must_be_right(signed_in, officer):
    response = _change(signed_in, GOOD, old="not my password at all")

    assert response.status_code == 200
    assert errors_of(response, "old_password")
    assert _password_unchanged(officer)


@pytest.mark.real_password_hashing
def test_a_changed_password_is_stored_with_argon2id(signed_in, officer):
    _change(signed_in, GOOD)

    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    assert GOOD not in officer.password


def test_a_changed_password_is_recorded_and_confirmed(signed_in, officer):
    response = _change(signed_in, GOOD)
    page = signed_in.get(response["Location"])

    assert "Your password has been changed." in page.content.decode()
    event = AuditEvent.objects.get(action="auth.password.changed")
    assert event.actor_id == officer.pk
    assert GOOD not in str(event.content())


def test_the_new_password_signs_in_and_the_old_one_does_not(signed_in, officer, password_sign_in):
    from django.test import Client

    _change(signed_in, GOOD)

    assert password_sign_in(Client(), officer).status_code == 200
    assert password_sign_in(Client(), officer, password=GOOD).status_code == 302


def test_the_page_needs_both_factors(client, officer, password_sign_in):
    password_sign_in(client, officer)

    response = _change(client, GOOD)

    assert response.status_code == 302
    assert _password_unchanged(officer)


def test_the_messages_follow_the_persons_language(signed_in):
    signed_in.cookies["birge_language"] = "ru"

    response = _change(signed_in, "password1234")

    with translation.override("ru"):
        expected = translation.gettext("This password is too common.")
    assert expected != "This password is too common."
    assert escape(expected) in response.content.decode()


# --- Setting a password from an invitation or reset link -------------------------------


def _link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/account/password/set/{uid}/{default_token_generator.make_token(user)}/"


def test_a_link_sets_a_password_once(client, officer):
    link = _link(officer)
    form_url = client.get(link)["Location"]

    response = client.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(GOOD)
    assert AuditEvent.objects.filter(action="auth.password.set", actor=officer).exists()
    again = client.get(link, follow=True)
    assert "expired or has already been used" in again.content.decode()


def test_a_link_refuses_a_short_password(client, officer):
    form_url = client.get(_link(officer))["Location"]

    response = client.post(form_url, {"new_password1": "short one", "new_password2": "short one"})

    assert _refused_with(response, "at least 12 characters")
    assert _password_unchanged(officer)


def test_a_tampered_link_does_not_work(client, officer):
    response = client.get(_link(officer)[:-3] + "xx/", follow=True)

    assert "expired or has already been used" in response.content.decode()
