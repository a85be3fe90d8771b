import pytest

from birge.agencies.models import Role


@pytest.fixture
def english(client):
    """Read pages in English, so that tests can check the words a person sees."""
    client.cookies["birge_language"] = "en"
    return client


@pytest.fixture
def role():
    def role(code: str) -> Role:
        return Role.objects.get(code=code)

    return role
