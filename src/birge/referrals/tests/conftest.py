"""The referrals tests' cast: the cases tests' people, and a directory to refer to.

- agency A, the Baku police (`police`): `officer` (frontline), `coordinator` (coordinates
  agency A's cases), `lead` (agency lead)
- agency B, a shelter (`shelter`): `shelter_worker`, who answers the shelter's referrals;
  it offers `shelter_place` (5 free places, in Baku)
- agency C, the Ganja police (`other_agency`): `outsider`, who must see nothing
- `protocol`: an adopted co-operation protocol promising a shelter answer in 4 hours, and
  24 hours for police protection from high risk up
"""

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.agencies.models import ProtocolVersion, Service, ServiceKind
from birge.agencies.tests.factories import RegionFactory
from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
from birge.cases.tests.factories import register_case
from birge.referrals import services
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion

SUMMARY = "She needs a safe place tonight with her two children; he knows her sister's address."


def _text(en: str) -> dict:
    return {"az": en, "ru": en, "en": en}


@pytest.fixture
def protocol(db) -> ProtocolVersion:
    content = {
        "title": _text("Co-operation protocol"),
        "roles": [{"agency_kind": "police", "text": _text("Protects and refers.")}],
        "pathways": [
            {
                "id": "shelter-place",
                "situation": _text("She cannot stay at home."),
                "service_kind": "shelter",
                "response_hours": 4,
                "min_risk": "",
            },
            {
                "id": "police-protection-high",
                "situation": _text("High risk."),
                "service_kind": "police_protection",
                "response_hours": 24,
                "min_risk": "high",
            },
        ],
        "contacts": [{"agency": "shelter-baku", "text": _text("Hotline.")}],
        "information_sharing": _text("Need to know."),
    }
    return ProtocolVersion.objects.create(
        number=1, status=ProtocolVersion.Status.ADOPTED, content=content
    )


@pytest.fixture
def shelter_place(shelter) -> Service:  # noqa: F811 - the cast
    service = Service.objects.create(
        agency=shelter,
        kind=ServiceKind.SHELTER,
        name_az="Sığınacaq",
        name_ru="Приют",
        name_en="Shelter place",
        capacity=5,
    )
    service.regions.add(RegionFactory())
    return service


@pytest.fixture
def assess():
    """`assess(user, case, *yes)`: a Birge checklist assessment, submitted; "yes" to the
    named items ("threat_to_kill" makes it high), "no" to the rest."""

    def assess(user, of_case, *yes):
        checklist = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
        answers = {i.id: "yes" if i.id in yes else "no" for i in checklist.instrument.items}
        assessment = risk_services.assessment_draft_save(
            actor=user, case=of_case, instrument_version=checklist, answers=answers
        )
        risk_services.assessment_submit(actor=user, assessment=assessment)
        of_case.refresh_from_db()
        return assessment

    return assess


@pytest.fixture
def high_risk_case(officer, coordinator, assess):  # noqa: F811 - the cast
    """Agency A's case, assessed at high risk, with no consent covering the shelter."""
    high = register_case(officer, victim={"first_name": "Aysel"})
    assess(officer, high, "threat_to_kill")
    return high


@pytest.fixture
def refer(shelter_place):
    """`refer(user, case, send=True)`: a referral to the shelter, made through the services."""

    def refer(user, of_case, *, send=True, service=None):
        return services.referral_refer(
            actor=user, case=of_case, service=service or shelter_place, summary=SUMMARY, send=send
        )

    return refer


@pytest.fixture
def api():
    """`api(user)`: a client carrying the user's bearer token, reading English."""

    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api
