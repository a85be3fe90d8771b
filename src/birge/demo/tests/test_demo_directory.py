"""The demo's service directory and its co-operation protocol, version 1 in force."""

import pytest

from birge.agencies.directory import service_capacity_set, services_for
from birge.agencies.models import ProtocolVersion, Service, User
from birge.agencies.protocol import protocol_in_force, protocol_validate, response_hours
from birge.audit.models import AuditEvent
from birge.demo import data
from birge.demo.protocol import PROTOCOL_V1
from birge.demo.services import demo_load


@pytest.fixture
def demo(db):
    demo_load()


def test_every_demo_agency_listed_offers_its_services(demo):
    assert Service.objects.count() == len(data.SERVICES)
    shelter = services_for(kind="shelter").get()
    assert (shelter.agency.code, shelter.capacity) == ("shelter-baku", 12)
    assert shelter.contact.startswith("+994 12 000 00")
    assert {s.agency.code for s in services_for(kind="police_protection")} >= {
        "police-baku",
        "police-ganja",
    }
    assert services_for(kind="housing").get().agency.code == "lea-lankaran"
    assert [s.agency.code for s in services_for(kind="legal_aid", region=None)] == [
        "legal-aid-ganja"
    ]


def test_version_1_is_adopted_by_the_administrator_of_the_coordinating_body(demo):
    version = protocol_in_force()
    admin = User.objects.get(username="admin")

    assert version.number == 1
    assert version.note == "İştirakçı qurumların razılaşdırdığı ilk versiya."
    assert version.adopted_by == admin
    assert admin.agency.kind == "coordinating_body"
    assert protocol_validate(PROTOCOL_V1) == []
    assert list(
        AuditEvent.objects.filter(action__startswith="protocol.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["protocol.drafted", "protocol.proposed", "protocol.adopted"]


@pytest.mark.parametrize(
    ("kind", "risk", "hours"),
    [
        ("police_protection", "high", 24),
        ("police_protection", "critical", 24),
        ("police_protection", "medium", None),
        ("shelter", "standard", 4),
        ("legal_aid", "high", 72),
        ("psychological", "medium", 48),
        ("social_benefits", "medium", 120),
        ("child_protection", "medium", 24),
        ("housing", "medium", 240),
        ("perpetrator_programme", "medium", 240),
    ],
)
def test_the_promises_of_version_1(demo, kind, risk, hours):
    assert response_hours(version=protocol_in_force(), service_kind=kind, risk_level=risk) == hours


def test_loading_again_keeps_the_protocol_and_the_free_places(demo):
    shelter = services_for(kind="shelter").get()
    service_capacity_set(
        actor=User.objects.get(username="shelter.lead"), service=shelter, capacity=5
    )

    demo_load()

    assert ProtocolVersion.objects.count() == 1
    assert Service.objects.count() == len(data.SERVICES)
    shelter.refresh_from_db()
    assert shelter.capacity == 5
