"""Protection orders for tests, made through the services; and the justice cast.

On top of the project's and the conference tests' cast (officer, coordinator of the Baku
police — agency A —, outsider of the Ganja police, the Baku risk conference `series`):

- `local_authority`: the Baku local executive authority; `executive`: its case
  coordinator, who issues short-term orders
- `court`: the Baku court; `judge`: its case coordinator, who issues long-term orders
- `order_case`: agency A's case, with the victim's consent covering both (locations too),
  both in its circle
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases import services as case_services
from birge.cases.models import Part
from birge.cases.tests.factories import consent_for, register_case
from birge.conferences.tests.conftest import (  # noqa: F401 - the cast, for the tests to import
    _english,
    _fast_passwords,
    _known_keys,
    api,
    assess,
    browse,
    chair,
    chair_agency,
    coordinator,
    series,
    shelter,
    social,
)
from birge.justice.models import ProtectionOrder
from birge.justice.order_types import order_types
from birge.justice.services import orders as services

PLACES = "Nizami küçəsi 12 (her work), school no. 5"


def bounds(code: str) -> tuple[int, int]:
    """(min_days, max_days) of a type, read from the order types in force."""
    kind = order_types().get(code)
    assert kind is not None
    return kind.min_days, kind.max_days


def perpetrator_of(case):
    return case.participants.get(part=Part.PERPETRATOR).person


def order_apply(actor, case, *, agency, order_type="short_term", follows=None, applicant=""):
    return services.order_apply(
        actor=actor,
        case=case,
        perpetrator=perpetrator_of(case),
        order_type=order_type,
        issuing_agency=agency,
        applicant=applicant or ("police" if order_type == "short_term" else "victim"),
        applied_on=timezone.localdate(),
        follows=follows,
    )


def order_issue(issuer, order, *, days=None, conditions=("no_contact", "keep_away")):
    today = timezone.localdate()
    days = days or bounds(order.order_type)[1]
    return services.order_issue(
        actor=issuer,
        order=order,
        issued_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=days - 1),
        conditions=list(conditions),
        places=PLACES if "keep_away" in conditions else "",
    )


def order_in_force(applicant, issuer, server, case, *, agency, **kwargs) -> ProtectionOrder:
    """An order applied for, issued and served: in force."""
    order = order_apply(applicant, case, agency=agency)
    order_issue(issuer, order, **kwargs)
    services.order_serve(actor=server, order=order, served_at=timezone.now())
    return order


def incident_data(**overrides) -> dict:
    return {
        "occurred_on": timezone.localdate(),
        "place": "Near her work",
        "forms": ["psychological"],
        "injuries": False,
        "weapon": "none",
        "children_present": False,
        "children_witnessed": False,
        "narrative": "He waited for her outside her work and shouted at her.",
        **overrides,
    }


@pytest.fixture
def local_authority(db):
    return AgencyFactory(code="ih-baku", kind="local_authority")


@pytest.fixture
def executive(local_authority):
    return UserFactory(username="executive", agency=local_authority, roles=["case_coordinator"])


@pytest.fixture
def court(db):
    return AgencyFactory(code="court-baku", kind="court")


@pytest.fixture
def judge(court):
    return UserFactory(username="judge", agency=court, roles=["case_coordinator"])


@pytest.fixture
def order_case(officer, coordinator, local_authority, court):  # noqa: F811 - the cast
    case = register_case(officer, consent=consent_for(local_authority, court, location=True))
    for agency in (local_authority, court):
        case_services.case_share(actor=coordinator, case=case, agency=agency)
    case.refresh_from_db()
    return case


def order_breached(case, *, applicant, breacher, places: str = PLACES):
    """For worlds built elsewhere (the guarantees): a local executive authority joins the
    high-risk case's circle, issues a short-term order (keep away from `places`), the
    applicant serves it and `breacher` records a breach. Returns (order, breach)."""
    authority = AgencyFactory(code="ih-world", kind="local_authority", region=case.region)
    issuer = UserFactory(username="world_executive", agency=authority, roles=["case_coordinator"])
    case_services.case_share(
        actor=applicant,
        case=case,
        agency=authority,
        reason="An application for a protection order, at high risk.",
    )
    order = order_apply(applicant, case, agency=authority)
    today = timezone.localdate()
    services.order_issue(
        actor=issuer,
        order=order,
        issued_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=bounds("short_term")[1] - 1),
        conditions=["no_contact", "keep_away"],
        places=places,
    )
    services.order_serve(actor=applicant, order=order, served_at=timezone.now())
    # Her injuries, as the world's first incident has them (the health scope's test).
    incident = incident_data(injuries=True)
    breach = services.order_breach_record(actor=breacher, order=order, incident=incident)
    case.refresh_from_db()
    return order, breach
