"""Emergency access: a user outside the circle who holds the capability opens a case for a
few hours with a written reason; start and end are logged, the coordinator and the
auditors hear of it, and auditors review every grant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.cases import services
from birge.cases.models import EmergencyAccess
from birge.notifications.models import Notification

REASON = "She is at our door at night, bleeding, and the police line is busy."


def _open(client, case, reason=REASON, reference=None):
    return client.post(
        "/cases/emergency/", {"reference": reference or case.reference, "reason": reason}
    )


def test_a_user_with_the_capability_opens_a_case_outside_her_circle(
    browse, shelter_worker, coordinator, auditor, case
):
    client = browse(shelter_worker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404

    response = _open(client, case)

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    grant = EmergencyAccess.objects.get(user=shelter_worker, case=case)
    assert grant.reason == REASON
    started = AuditEvent.objects.get(action="case.emergency_access.started")
    assert (started.actor, started.object_id, event_reason(started)) == (
        shelter_worker,
        str(case.pk),
        REASON,
    )
    assert Notification.objects.filter(kind="case.emergency_access", recipient=coordinator).exists()
    assert Notification.objects.filter(kind="audit.emergency_access", recipient=auditor).exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("Urgent, she called.", "Ensure this value has at least 20 characters"),
    ],
)
def test_emergency_access_needs_a_reason_of_twenty_characters(
    browse, shelter_worker, case, reason, message
):
    client = browse(shelter_worker)

    response = _open(client, case, reason=reason)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_an_unknown_reference_opens_nothing(browse, shelter_worker, case):
    response = _open(browse(shelter_worker), case, reference="BRG-2026-999999")

    assert response.status_code == 200
    assert "No open case has this reference." in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_emergency_access_ends_after_the_configured_hours(
    browse, shelter_worker, case, settings, time_machine
):
    settings.BIRGE_EMERGENCY_ACCESS_HOURS = 2
    time_machine.move_to(timezone.now(), tick=False)
    _open(browse(shelter_worker), case)
    started = timezone.now()

    time_machine.move_to(started + timedelta(hours=1, minutes=59), tick=False)
    assert browse(shelter_worker).get(f"/cases/{case.pk}/").status_code == 200

    time_machine.move_to(started + timedelta(hours=2, minutes=1), tick=False)
    client = browse(shelter_worker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert case.reference not in client.get("/cases/").content.decode()


def test_ending_emergency_access_early_closes_the_case_again(browse, shelter_worker, case):
    client = browse(shelter_worker)
    _open(client, case)
    grant = EmergencyAccess.objects.get()

    response = client.post(f"/cases/emergency/{grant.pk}/end/")

    assert response.status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert AuditEvent.objects.filter(
        action="case.emergency_access.ended", actor=shelter_worker
    ).exists()


def test_nobody_else_ends_her_emergency_access(browse, shelter_worker, coordinator, case):
    _open(browse(shelter_worker), case)
    grant = EmergencyAccess.objects.get()

    response = browse(coordinator).post(f"/cases/emergency/{grant.pk}/end/")

    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.ended_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_frontline_officer_gets_404_on_the_emergency_page(browse, outsider, case, method):
    response = getattr(browse(outsider), method)(
        "/cases/emergency/", {"reference": case.reference, "reason": REASON}
    )

    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_a_sealed_case_cannot_be_opened_in_an_emergency(browse, shelter_worker, coordinator, case):
    services.case_seal(actor=coordinator, case=case, reason="Perpetrator is an officer.", users=[])
    client = browse(shelter_worker)

    response = _open(client, case)

    assert response.status_code == 200
    assert "No open case has this reference." in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_auditors_review_every_emergency_access_with_a_note(browse, shelter_worker, auditor, case):
    _open(browse(shelter_worker), case)
    grant = EmergencyAccess.objects.get()
    client = browse(auditor)

    listing = client.get("/cases/emergency/review/").content.decode()
    assert case.reference in listing
    assert REASON in listing
    empty = client.post(f"/cases/emergency/review/{grant.pk}/", {"note": ""})
    assert empty.status_code == 200
    grant.refresh_from_db()
    assert grant.reviewed_at is None

    response = client.post(
        f"/cases/emergency/review/{grant.pk}/", {"note": "Called the shelter: justified."}
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == auditor
    assert grant.review_note == "Called the shelter: justified."
    reviewed = AuditEvent.objects.get(action="case.emergency_access.reviewed", actor=auditor)
    assert event_reason(reviewed) == grant.review_note


def test_a_case_coordinator_cannot_review_emergency_access(
    browse, shelter_worker, coordinator, case
):
    _open(browse(shelter_worker), case)
    grant = EmergencyAccess.objects.get()

    assert browse(coordinator).get("/cases/emergency/review/").status_code == 404
    response = browse(coordinator).post(f"/cases/emergency/review/{grant.pk}/", {"note": "Fine."})

    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None
