"""Professional judgement: raising the computed level needs a written reason; lowering it
also needs a second professional from another agency in the case's circle, and until she
agrees the computed level stands."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from birge.notifications.models import Notification
from birge.risk import services
from birge.risk.models import RiskAssessment

REASON = "She has moved to her sister's flat in another city."


def _submit(client, assessment, level, reason=""):
    return client.post(
        f"/cases/{assessment.case_id}/risk/{assessment.pk}/submit/",
        {"final_level": level, "judgement_reason": reason},
    )


def _approve(client, assessment):
    return client.post(f"/cases/{assessment.case_id}/risk/{assessment.pk}/approve/")


@pytest.fixture
def pending(browse, coordinator, shared_case, assess):
    """The coordinator proposes medium where the checklist computed high."""
    draft = assess(coordinator, shared_case, "threat_to_kill", submit=False)
    response = _submit(browse(coordinator), draft, "medium", REASON)
    assert response.status_code == 302
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("reason", ["", "   ", "too short", "  too short  "])
def test_raising_the_level_needs_a_reason_of_ten_characters(
    browse, coordinator, case, assess, reason
):
    draft = assess(coordinator, case, submit=False)

    response = _submit(browse(coordinator), draft, "high", reason)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["judgement_reason"]
    assert "needs a written reason (at least 10 characters)" in unescape(response.content.decode())
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT
    case.refresh_from_db()
    assert case.risk_level == ""


def test_raising_the_level_with_a_reason_applies_it_at_once(browse, coordinator, case, assess):
    draft = assess(coordinator, case, submit=False)

    response = _submit(browse(coordinator), draft, "high", "He bought a gun last week.")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.computed_level, draft.final_level) == (
        "submitted",
        "standard",
        "high",
    )
    assert draft.judgement_reason == "He bought a gun last week."
    case.refresh_from_db()
    assert case.risk_level == "high"


def test_lowering_the_level_also_needs_a_reason(browse, coordinator, shared_case, assess):
    draft = assess(coordinator, shared_case, "threat_to_kill", submit=False)

    response = _submit(browse(coordinator), draft, "medium", "")

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["judgement_reason"]
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT


def test_lowering_the_level_waits_for_a_second_opinion_and_the_computed_level_stands(
    pending, shared_case
):
    assert pending.status == RiskAssessment.Status.PENDING_APPROVAL
    assert (pending.computed_level, pending.final_level) == ("high", "medium")
    assert pending.approved_by is None
    shared_case.refresh_from_db()
    assert shared_case.risk_level == "high"


def test_a_professional_of_another_agency_in_the_circle_is_asked(
    pending, shelter_worker, coordinator, officer, colleague, outsider
):
    asked = Notification.objects.filter(kind="risk.downgrade_requested")

    assert [n.recipient for n in asked] == [shelter_worker]
    assert asked.get().url == f"/cases/{pending.case_id}/risk/{pending.pk}/"
    # Nobody of the assessor's own agency, nor of an agency outside the circle.
    assert not asked.filter(recipient__in=[coordinator, officer, colleague, outsider]).exists()


def test_she_sees_the_proposal_and_approves_it_and_the_lower_level_applies(
    browse, pending, shelter_worker, shared_case, time_machine
):
    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=False)
    client = browse(shelter_worker)
    page = unescape(client.get(f"/cases/{shared_case.pk}/risk/{pending.pk}/").content.decode())
    assert "Approve the lower level" in page

    response = _approve(client, pending)

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RiskAssessment.Status.SUBMITTED
    assert pending.approved_by == shelter_worker
    assert pending.approved_at == timezone.now()
    shared_case.refresh_from_db()
    assert shared_case.risk_level == "medium"
    assert shared_case.reassessment_due_at == timezone.now() + timedelta(days=30)


@pytest.mark.parametrize("who", ["coordinator", "officer", "colleague"])
def test_nobody_of_the_assessors_agency_can_approve(browse, pending, shared_case, who, request):
    user = request.getfixturevalue(who)
    client = browse(user)
    page = unescape(client.get(f"/cases/{shared_case.pk}/risk/{pending.pk}/").content.decode())
    assert "Approve the lower level" not in page

    _approve(client, pending)

    pending.refresh_from_db()
    assert pending.status == RiskAssessment.Status.PENDING_APPROVAL
    assert pending.approved_by is None
    shared_case.refresh_from_db()
    assert shared_case.risk_level == "high"


def test_the_service_refuses_an_approval_from_the_same_agency(pending, officer):
    with pytest.raises(ValidationError):
        services.assessment_approve_downgrade(approver=officer, assessment=pending)


def test_the_outsider_cannot_even_find_the_assessment_to_approve(
    browse, pending, outsider, shared_case
):
    response = _approve(browse(outsider), pending)

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == RiskAssessment.Status.PENDING_APPROVAL
    shared_case.refresh_from_db()
    assert shared_case.risk_level == "high"


def test_an_approved_assessment_cannot_be_approved_again(
    browse, pending, shelter_worker, shared_case
):
    client = browse(shelter_worker)
    _approve(client, pending)
    pending.refresh_from_db()
    approved_at = pending.approved_at

    _approve(client, pending)

    pending.refresh_from_db()
    assert pending.approved_at == approved_at
    with pytest.raises(ValidationError):
        services.assessment_approve_downgrade(approver=shelter_worker, assessment=pending)


def test_without_another_agency_in_the_circle_nobody_outside_is_asked(
    browse, officer, coordinator, case, shelter_worker, assess
):
    """The case was never shared with the shelter: nobody there hears of it."""
    draft = assess(coordinator, case, "threat_to_kill", submit=False)

    _submit(browse(coordinator), draft, "medium", REASON)

    assert not Notification.objects.filter(kind="risk.downgrade_requested").exists()
    assert _approve(browse(shelter_worker), draft).status_code == 404
