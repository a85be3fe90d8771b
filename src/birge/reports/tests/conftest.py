import pytest
from django.test import Client
from knox.models import AuthToken

from birge.agencies.tests.factories import RegionFactory
from birge.reports.models import CaseFact
from birge.reports.tests.helpers import random_facts

QUARTERS = [20251, 20252, 20253, 20254]


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


@pytest.fixture
def regions(db):
    return [RegionFactory(code=f"region-{i}", name_en=f"Region {i}") for i in range(5)]


@pytest.fixture
def facts(regions, police):
    random_facts(count=1200, regions=[r.pk for r in regions], quarters=QUARTERS, seed=11)
    # 40 of them the Baku police's own: its lead sees only these.
    CaseFact.objects.update(owning_agency_id=999_999)
    CaseFact.objects.filter(case_id__lt=10_000_040).update(owning_agency_id=police.pk)
