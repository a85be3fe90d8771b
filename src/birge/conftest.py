"""The cast every test uses (healthchecks' Alice, Bob and Charlie, in Birge's agencies).

- officer and colleague: frontline officers in the Baku police
- lead: the Baku police's agency lead
- outsider: a frontline officer in another agency (Ganja police) who must see nothing
- analyst, auditor, admin: the coordinating body's and the ombudsperson's people
"""

import pytest
from django.core.cache import cache

from birge.agencies.tests.factories import AgencyFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(request, settings):
    """Argon2 is slow on purpose; tests that are about hashing say so with a marker."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing one test put in the cache (a header's count, a rate limit) reaches another."""
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def police(db):
    return AgencyFactory(code="police-baku", kind="police")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(code="police-ganja", kind="police")


@pytest.fixture
def officer(police):
    return UserFactory(username="officer", agency=police, roles=["frontline_officer"])


@pytest.fixture
def colleague(police):
    return UserFactory(username="colleague", agency=police, roles=["frontline_officer"])


@pytest.fixture
def lead(police):
    return UserFactory(username="lead", agency=police, roles=["agency_lead"])


@pytest.fixture
def outsider(other_agency):
    return UserFactory(username="outsider", agency=other_agency, roles=["frontline_officer"])


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", roles=["analyst"])


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", roles=["auditor"])


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", roles=["administrator"])


@pytest.fixture
def sign_in():
    """Sign a user in with both factors, as a person would after the two-factor check."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(client, user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in
