"""A user declares the people she is related to; their cases are hidden from her, and an
attempt to open one is logged and told to the auditors (once a day)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.models import ConflictDeclaration
from birge.cases.tests.factories import register_case
from birge.notifications.models import Notification

BIRTH = date(1990, 5, 1)


@pytest.fixture
def related(officer, coordinator):
    """A case of Aysel Məmmədova, born on 1 May 1990."""
    return register_case(
        officer,
        victim={"first_name": "Aysel", "last_name": "Məmmədova", "birth_date": BIRTH},
    )


def _declare(client, first_name, last_name, birth_date=""):
    response = client.post(
        "/cases/relations/",
        {"first_name": first_name, "last_name": last_name, "birth_date": birth_date},
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("last_name", ["Məmmədova", "Mamedova", "Mammadova", "Мамедова"])
def test_a_declared_relation_hides_her_cases_across_spellings(
    browse, colleague, related, case, last_name
):
    client = browse(colleague)

    _declare(client, "Aysel", last_name, "1990-05-01")

    assert client.get(f"/cases/{related.pk}/").status_code == 404
    assert client.get(f"/cases/{related.pk}/print/").status_code == 404
    page = client.get("/cases/").content.decode()
    assert related.reference not in page
    # Other cases stay where they were.
    assert case.reference in page
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_a_relation_with_another_birth_date_hides_nothing(browse, colleague, related):
    client = browse(colleague)

    _declare(client, "Aysel", "Mamedova", "1991-05-01")

    assert client.get(f"/cases/{related.pk}/").status_code == 200


def test_a_relation_without_birth_date_hides_every_case_of_that_name(browse, colleague, related):
    client = browse(colleague)

    _declare(client, "Айсель", "Мамедова")

    assert client.get(f"/cases/{related.pk}/").status_code == 404


def test_a_relation_to_the_perpetrator_hides_the_case(browse, colleague, officer):
    case = register_case(
        officer, perpetrator={"first_name": "Rəşad", "last_name": "Həsənov", "birth_date": BIRTH}
    )
    client = browse(colleague)

    _declare(client, "Rashad", "Gasanov", "1990-05-01")

    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_only_the_declaring_user_is_affected(browse, colleague, officer, related):
    _declare(browse(colleague), "Aysel", "Mamedova", "1990-05-01")

    assert browse(officer).get(f"/cases/{related.pk}/").status_code == 200


def test_an_attempt_to_open_her_relatives_case_alerts_the_auditors_once_a_day(
    browse, colleague, auditor, related, time_machine
):
    client = browse(colleague)
    _declare(client, "Aysel", "Mamedova", "1990-05-01")

    client.get(f"/cases/{related.pk}/")
    client.get(f"/cases/{related.pk}/print/")

    attempts = AuditEvent.objects.filter(action="case.conflict_attempt", actor=colleague)
    assert attempts.count() == 2
    assert attempts.first().object_id == str(related.pk)
    assert not AuditEvent.objects.filter(action="case.viewed", actor=colleague).exists()
    assert (
        Notification.objects.filter(kind="audit.conflict_attempt", recipient=auditor).count() == 1
    )

    time_machine.move_to(timezone.now() + timedelta(days=1))
    browse(colleague).get(f"/cases/{related.pk}/")

    assert (
        Notification.objects.filter(kind="audit.conflict_attempt", recipient=auditor).count() == 2
    )


def test_a_case_simply_outside_her_circle_is_no_conflict_attempt(browse, outsider, related):
    client = browse(outsider)
    _declare(client, "Aysel", "Mamedova", "1990-05-01")

    assert client.get(f"/cases/{related.pk}/").status_code == 404

    assert not AuditEvent.objects.filter(action="case.conflict_attempt").exists()


def test_withdrawing_the_declaration_brings_the_case_back(browse, colleague, related):
    client = browse(colleague)
    _declare(client, "Aysel", "Mamedova", "1990-05-01")
    declaration = ConflictDeclaration.objects.get(user=colleague)

    response = client.post(f"/cases/relations/{declaration.pk}/withdraw/")

    assert response.status_code == 302
    assert client.get(f"/cases/{related.pk}/").status_code == 200


def test_only_she_sees_her_declarations(browse, colleague, officer):
    _declare(browse(colleague), "Nigar", "Abbasova")

    assert "Nigar Abbasova" in browse(colleague).get("/cases/relations/").content.decode()
    assert "Nigar Abbasova" not in browse(officer).get("/cases/relations/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "Aysel", "last_name": ""}, "This field is required."),
        (
            {"first_name": "Aysel", "last_name": "Mamedova", "birth_date": "2999-01-01"},
            "A date of birth cannot be in the future.",
        ),
    ],
)
def test_a_declaration_needs_a_full_name_and_a_possible_birth_date(
    browse, colleague, data, message
):
    response = browse(colleague).post("/cases/relations/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ConflictDeclaration.objects.exists()


def test_a_declared_relation_closes_the_case_to_emergency_access_too(
    browse, shelter_worker, auditor, related
):
    client = browse(shelter_worker)
    _declare(client, "Aysel", "Mamedova", "1990-05-01")

    response = client.post(
        "/cases/emergency/",
        {"reference": related.reference, "reason": "She called us at night, in danger now."},
    )

    assert response.status_code == 200
    assert "No open case has this reference." in response.content.decode()
    assert client.get(f"/cases/{related.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="case.conflict_attempt", actor=shelter_worker, object_id=str(related.pk)
    ).exists()
    assert Notification.objects.filter(recipient=auditor, kind="audit.conflict_attempt").exists()
