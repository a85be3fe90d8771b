"""An escalation (here, a new incident) reaches someone, always: the case's coordinator;
with no coordinator named, the owning agency's case coordinators; with none of those (a
case a police officer opened, in a police agency without coordinators), the owning
agency's lead(s); with no lead either, the coordinating body (its leads and protocol
keepers, as for overdue referrals; never its analysts)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases import services as case_services
from birge.cases.models import Case
from birge.cases.tests.factories import IncidentDataFactory, register_case
from birge.notifications.models import Notification


@pytest.fixture
def coordinating_body(db):
    return AgencyFactory(code="coordination", kind="coordinating_body")


@pytest.fixture
def national(coordinating_body):
    """The coordinating body's lead and administrator (who keeps the co-operation
    protocol), who hear as a last resort; its analyst, who never does."""
    return {
        "lead": UserFactory(
            username="national_lead", agency=coordinating_body, roles=["agency_lead"]
        ),
        "analyst": UserFactory(
            username="national_analyst", agency=coordinating_body, roles=["analyst"]
        ),
        "admin": UserFactory(
            username="national_admin", agency=coordinating_body, roles=["administrator"]
        ),
    }


def _new_incident(actor, case: Case) -> None:
    case_services.incident_record(
        actor=actor,
        case=case,
        data=IncidentDataFactory(occurred_on=timezone.localdate() - timedelta(days=1)),
    )


def told(case: Case) -> set[str]:
    return set(
        Notification.objects.filter(
            kind="case.escalated.new_incident", url=f"/cases/{case.pk}/"
        ).values_list("recipient__username", flat=True)
    )


def test_the_named_coordinator_is_told(officer, coordinator, lead, national):
    case = register_case(officer)
    Case.objects.filter(pk=case.pk).update(coordinator=coordinator)
    case.refresh_from_db()

    _new_incident(officer, case)

    assert told(case) == {"coordinator"}


def test_with_no_coordinator_named_the_owning_agencys_coordinators_are_told(
    officer, coordinator, lead, national
):
    case = register_case(officer)

    _new_incident(officer, case)

    assert told(case) == {"coordinator"}


def test_with_no_coordinator_at_all_the_owning_agencys_lead_is_told(officer, lead, national):
    case = register_case(officer)
    assert case.coordinator is None

    _new_incident(officer, case)

    assert told(case) == {"lead"}


def test_an_inactive_coordinator_and_no_other_leaves_it_to_the_lead(officer, lead, police):
    retired = UserFactory(username="retired", agency=police, roles=["case_coordinator"])
    case = register_case(officer)
    Case.objects.filter(pk=case.pk).update(coordinator=retired)
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    case.refresh_from_db()

    _new_incident(officer, case)

    assert told(case) == {"lead"}


def test_with_neither_coordinator_nor_lead_the_coordinating_bodys_leads_are_told(officer, national):
    case = register_case(officer)

    _new_incident(officer, case)

    assert told(case) == {"national_lead", "national_admin"}


def test_the_outsider_and_other_agencies_leads_are_never_told(officer, lead, outsider, national):
    other_lead = UserFactory(username="other_lead", agency=outsider.agency, roles=["agency_lead"])
    case = register_case(officer)

    _new_incident(officer, case)

    assert told(case) == {"lead"}
    assert not Notification.objects.filter(recipient__in=[outsider, other_lead]).exists()
