"""The cast of the cases tests, on top of the project's (birge/conftest.py).

- agency A, the Baku police (`police`): `officer` and `colleague` (frontline officers) and
  `coordinator` (case coordinator)
- agency B, a shelter (`shelter`): `shelter_worker` (case coordinator)
- agency C, the Ganja police (`other_agency`): `outsider`, who must see nothing
- `analyst`, `auditor`, `admin`: the coordinating body's and the ombudsperson's people
"""

import base64

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases.tests.factories import register_case

KEY_1 = "k1:" + base64.b64encode(bytes(range(32))).decode()
KEY_2 = "k2:" + base64.b64encode(bytes(range(100, 132))).decode()


@pytest.fixture(autouse=True)
def _known_keys(settings):
    """Fixed keys, so that no test depends on the developer's var/ keys."""
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_1]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shelter(db):
    return AgencyFactory(code="shelter-baku", kind="shelter_ngo")


@pytest.fixture
def coordinator(police):
    return UserFactory(username="coordinator", agency=police, roles=["case_coordinator"])


@pytest.fixture
def shelter_worker(shelter):
    return UserFactory(username="shelter_worker", agency=shelter, roles=["case_coordinator"])


@pytest.fixture
def browse(sign_in):
    """`browse(user)`: a browser of its own, signed in with both factors, reading English."""

    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


@pytest.fixture
def case(officer, coordinator):
    """A case the officer of agency A registered; agency A's coordinator coordinates it."""
    return register_case(officer)


@pytest.fixture
def api():
    """`api(user)`: a client carrying the user's bearer token, reading English."""

    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api
