import pytest
from django.test import Client
from knox.models import AuthToken


@pytest.fixture
def browse(sign_in):
    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


@pytest.fixture
def api():
    """`api(user)`: a client carrying the user's bearer token, reading English."""

    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api
