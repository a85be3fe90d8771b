"""Helpers for the sign-in tests: a browser in English, a password-only sign-in, a phone."""

from datetime import UTC, datetime

import pytest
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.agencies.tests.factories import PASSWORD

# A Monday morning in Baku; tests that move the clock start here.
MONDAY_MORNING = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)


@pytest.fixture
def client(client):
    """The browser asks for English: messages are checked against their source text.

    Azerbaijani and Russian translations are tested with language switching.
    """
    client.cookies["birge_language"] = "en"
    return client


@pytest.fixture
def frozen(time_machine):
    """The clock stands still at MONDAY_MORNING until the test moves it."""
    time_machine.move_to(MONDAY_MORNING, tick=False)
    return time_machine


@pytest.fixture
def signed_in(client, officer, sign_in, frozen):
    """The officer signed in with both factors, her first page seen at MONDAY_MORNING."""
    sign_in(client, officer)
    assert client.get("/").status_code == 200
    return client


@pytest.fixture
def password_sign_in():
    """Sign in through the form with the password only, as a person does first."""

    def password_sign_in(client, user, password=PASSWORD, ip="127.0.0.1"):
        return client.post(
            "/account/login/",
            {"username": user.username, "password": password},
            REMOTE_ADDR=ip,
        )

    return password_sign_in


@pytest.fixture
def phone():
    """A confirmed authenticator app for a user: `phone(user)` gives the device."""

    def phone(user):
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    return phone


def code_now(device: TOTPDevice) -> str:
    """The 6 digits an authenticator app with this device's key shows right now."""
    device.refresh_from_db()
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0)
    return f"{token:0{device.digits}d}"


def errors_of(response, field: str | None = None) -> list[str]:
    """The form's messages as the person read them: in English, the language she chose.

    Messages are translated when read; after the response the test's thread is back
    in the default language, so read them in English again here.
    """
    form = response.context["form"]
    with translation.override("en"):
        return list(form.non_field_errors() if field is None else form.errors.get(field, []))


def english(text) -> str:
    with translation.override("en"):
        return str(text)
