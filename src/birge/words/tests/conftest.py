import pytest
from django.test import Client

from birge.cases.tests.factories import register_case


@pytest.fixture
def browse(sign_in):
    """`browse(user, language)`: a browser of its own, signed in with both factors."""

    def browse(user, language: str = "en") -> Client:
        client = Client()
        client.cookies["birge_language"] = language
        return sign_in(client, user)

    return browse


@pytest.fixture
def case(officer):
    return register_case(officer)
