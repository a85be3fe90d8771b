"""The directory, the protocol and the promises-kept figures over the API."""

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.agencies.models import ProtocolVersion, Service
from birge.agencies.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def api():
    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}")

    return api


@pytest.fixture
def shelter_service(db):
    shelter = AgencyFactory(code="shelter-baku", kind="shelter_ngo")
    service = Service.objects.create(
        agency=shelter,
        kind="shelter",
        name_az="Sığınacaq",
        name_ru="Приют",
        name_en="Shelter",
        capacity=12,
    )
    service.regions.set([shelter.region])
    return service


def test_an_officer_reads_the_directory_filtered_by_kind(api, officer, shelter_service):
    rows = api(officer).get("/api/v1/services/", {"kind": "shelter"}).json()

    assert [(r["id"], r["capacity"]) for r in rows] == [(shelter_service.pk, 12)]
    assert api(officer).get("/api/v1/services/", {"kind": "legal_aid"}).json() == []


def test_an_analyst_gets_404_on_the_directory(api, analyst, shelter_service):
    assert api(analyst).get("/api/v1/services/").status_code == 404


def test_the_protocol_in_force_is_the_adopted_one(api, officer, admin):
    ProtocolVersion.objects.create(number=1, status="adopted", content={"title": {"en": "v1"}})
    ProtocolVersion.objects.create(number=2, status="draft", content={"title": {"en": "v2"}})

    response = api(officer).get("/api/v1/protocol/")

    assert response.json()["number"] == 1
    assert api(officer).get("/api/v1/protocol/1/").status_code == 200
    # Someone else's draft is not for a frontline officer.
    assert api(officer).get("/api/v1/protocol/2/").status_code == 404


def test_without_an_adopted_protocol_there_is_none_in_force(api, officer):
    assert api(officer).get("/api/v1/protocol/").status_code == 404


def test_the_promises_kept_figures_are_for_leads_and_the_coordinating_body(api, officer, lead, db):
    coordinating = AgencyFactory(code="scfwca", kind="coordinating_body")
    analyst = UserFactory(username="national", agency=coordinating, roles=["analyst"])

    assert api(officer).get("/api/v1/referrals/compliance/").status_code == 404
    assert api(lead).get("/api/v1/referrals/compliance/").status_code == 200
    assert api(analyst).get("/api/v1/referrals/compliance/").json() == []
