"""One rule for a level going down, whatever the route: a level lower than the level in
force needs a second professional of another agency in the case's circle; until she
agrees, the case keeps the higher of the level in force and the computed level. A level
set by professional judgement alone is an assessment like any other: it needs a reason of
10 characters, and high or critical sets the next assessment's due date and enters the
conference's queue. The defects of issue 10, item 3, are here as regression tests."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from birge.access.levels import level_higher, level_lowers, level_rank, may_approve_lowering
from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.cases.models import Case, CircleMember
from birge.notifications.models import Notification
from birge.risk import services
from birge.risk.models import InstrumentVersion, RiskAssessment

REASON = "She has moved to her sister's flat in another city."
Status = RiskAssessment.Status


def _level(case) -> str:
    return Case.objects.get(pk=case.pk).risk_level


@pytest.fixture
def screen(db) -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument_id="lethality-screen", version="1")


@pytest.fixture
def high(coordinator, shared_case, assess):
    """Agency A's case, shared with the shelter, at high risk (threats to kill)."""
    assess(coordinator, shared_case, "threat_to_kill")
    assert _level(shared_case) == "high"
    return shared_case


def _judge(client, case, level, reason):
    return client.post(f"/cases/{case.pk}/risk/", {"level": level, "reason": reason})


# --- The order and the decision ----------------------------------------------------------


def test_the_levels_are_ordered_and_no_level_is_below_standard():
    assert [level_rank(x) for x in ("", "standard", "medium", "high", "critical")] == [
        -1,
        0,
        1,
        2,
        3,
    ]
    assert level_higher("", "medium", "high") == "high"
    assert level_higher() == ""
    assert level_lowers(proposed="standard", in_force="") is False
    assert level_lowers(proposed="medium", in_force="high") is True
    with pytest.raises(ValueError):
        level_rank("extreme")


@pytest.mark.parametrize(
    ("in_force", "computed", "proposed", "applied", "waits"),
    [
        ("", "standard", "standard", "standard", False),
        ("", "", "critical", "critical", False),  # judgement alone, first level
        ("standard", "high", "high", "high", False),
        ("high", "high", "high", "high", False),
        ("high", "", "critical", "critical", False),
        ("high", "standard", "standard", "high", True),  # a fresh assessment
        ("high", "", "standard", "high", True),  # judgement alone
        ("high", "critical", "high", "critical", True),  # judgement below the computed
        ("standard", "high", "medium", "high", True),
        ("critical", "high", "high", "critical", True),
    ],
)
def test_the_decision_never_lowers_without_approval(in_force, computed, proposed, applied, waits):
    decision = services.level_decide(in_force=in_force, computed=computed, proposed=proposed)

    assert (decision.level, decision.needs_approval) == (applied, waits)


# --- Defect: a fresh assessment minutes later ---------------------------------------------


def test_a_fresh_assessment_with_a_critical_item_re_marked_not_known_stays_high_and_waits(
    officer, high, checklist, answers, time_machine
):
    time_machine.move_to(timezone.now() + timedelta(minutes=5), tick=False)
    draft = services.assessment_draft_save(
        actor=officer,
        case=high,
        instrument_version=checklist,
        answers=answers(threat_to_kill="unknown"),
    )

    services.assessment_submit(actor=officer, assessment=draft)

    draft.refresh_from_db()
    assert (draft.computed_level, draft.final_level) == ("standard", "standard")
    assert draft.status == Status.PENDING_APPROVAL
    case = Case.objects.get(pk=high.pk)
    assert case.risk_level == "high"
    # Meanwhile it counts as a reassessment at the level that stands.
    assert case.reassessment_due_at == timezone.now() + timedelta(days=7)


def test_a_screen_then_a_lower_checklist_keeps_the_screens_level(
    officer, coordinator, shared_case, screen, checklist, answers
):
    screened = services.assessment_draft_save(
        actor=officer,
        case=shared_case,
        instrument_version=screen,
        answers={
            item.id: "yes" if item.id == "weapon_used" else "no" for item in screen.instrument.items
        },
    )
    services.assessment_submit(actor=officer, assessment=screened)
    assert _level(shared_case) == "high"
    draft = services.assessment_draft_save(
        actor=coordinator, case=shared_case, instrument_version=checklist, answers=answers()
    )

    services.assessment_submit(actor=coordinator, assessment=draft)

    draft.refresh_from_db()
    assert draft.status == Status.PENDING_APPROVAL
    assert _level(shared_case) == "high"


def test_a_correction_to_a_lower_level_waits_and_the_original_level_stands(
    coordinator, high, answers
):
    original = RiskAssessment.objects.get(case=high, status=Status.SUBMITTED)
    correction = services.assessment_correct(actor=coordinator, original=original)
    correction = services.assessment_draft_save(
        actor=coordinator,
        case=high,
        instrument_version=correction.instrument_version,
        answers=answers(),
        assessment=correction,
    )

    services.assessment_submit(actor=coordinator, assessment=correction)

    correction.refresh_from_db()
    assert correction.status == Status.PENDING_APPROVAL
    assert _level(high) == "high"


def test_a_higher_assessment_applies_at_once(coordinator, high, assess):
    raised = assess(coordinator, high, "strangulation", level="critical", reason=REASON)

    assert raised.status == Status.SUBMITTED
    assert _level(high) == "critical"


# --- Defect: the level by professional judgement alone --------------------------------------


@pytest.mark.parametrize("reason", ["ok", "", "   ", "short one"])
def test_judgement_alone_needs_a_reason_of_ten_characters(browse, officer, high, reason):
    response = _judge(browse(officer), high, "standard", reason)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    if reason.strip():
        assert "at least 10 characters" in unescape(response.content.decode())
    assert not RiskAssessment.objects.filter(case=high, instrument_version=None).exists()
    assert _level(high) == "high"


def test_a_frontline_officers_judgement_from_high_to_standard_waits_for_another_agency(
    browse, officer, shelter_worker, high
):
    response = _judge(browse(officer), high, "standard", REASON)

    judged = RiskAssessment.objects.get(case=high, instrument_version=None)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{high.pk}/risk/{judged.pk}/"
    assert (judged.status, judged.final_level, judged.computed_level) == (
        Status.PENDING_APPROVAL,
        "standard",
        "",
    )
    assert (judged.answers, judged.score, judged.judgement_reason) == ({}, None, REASON)
    assert _level(high) == "high"
    asked = Notification.objects.get(kind="risk.downgrade_requested")
    assert asked.recipient == shelter_worker


def test_the_judgements_reason_stays_in_the_assessment_not_in_the_audit_log(officer, case):
    judged = services.assessment_judgement(
        actor=officer, case=case, level="high", reason="He bought a gun last week."
    )

    event = AuditEvent.objects.get(action="case.risk_level_set", object_id=str(case.pk))
    assert event.reason == ""
    assert event.data["assessment"] == judged.pk
    assert "gun" not in str(event.data)


def test_a_critical_level_by_judgement_alone_falls_due_in_72_hours_and_enters_the_queue(
    browse, officer, case, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)

    response = _judge(browse(officer), case, "critical", "He is outside her door with a knife.")

    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.risk_level == "critical"
    assert case.reassessment_due_at == timezone.now() + timedelta(hours=72)
    assert case.conference_queued_at == timezone.now()
    queued = AuditEvent.objects.get(action="case.conference_queued", object_id=str(case.pk))
    assert queued.data["criterion"] == "risk"
    judged = RiskAssessment.objects.get(case=case)
    assert (judged.status, judged.instrument_version) == (Status.SUBMITTED, None)


def test_the_judgement_page_is_linked_from_the_case_and_names_the_method(browse, officer, case):
    client = browse(officer)
    page = unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert f'href="/cases/{case.pk}/risk/"' in page

    _judge(client, case, "high", "He bought a gun last week.")

    judged = RiskAssessment.objects.get(case=case)
    detail = unescape(client.get(f"/cases/{case.pk}/risk/{judged.pk}/").content.decode())
    assert "<h1>Professional judgement</h1>" in detail
    assert "He bought a gun last week." in detail
    assert "Set by professional judgement alone" in detail
    assert "Professional judgement" in unescape(client.get(f"/cases/{case.pk}/").content.decode())


def test_the_agency_lead_cannot_set_a_level(browse, lead, high):
    assert _judge(browse(lead), high, "standard", REASON).status_code == 404
    assert _level(high) == "high"


# --- The API -----------------------------------------------------------------------------


def _api_judge(client, case, **body):
    return client.post(
        f"/api/v1/cases/{case.pk}/risk-level/", body, content_type="application/json"
    )


def test_the_api_sets_a_higher_level_by_judgement_at_once(api, officer, case):
    response = _api_judge(api(officer), case, level="high", reason="He bought a gun last week.")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["final_level"], body["instrument"]) == ("submitted", "high", None)
    assert body["instrument_name"] == "Professional judgement"
    assert body["score"] is None
    assert _level(case) == "high"


def test_the_api_answers_202_when_a_lower_level_waits(api, officer, high):
    response = _api_judge(api(officer), high, level="standard", reason=REASON)

    assert response.status_code == 202
    assert response.json()["status"] == "pending_approval"
    assert _level(high) == "high"


def test_an_api_assessment_that_would_lower_the_level_answers_202(api, officer, high, answers):
    response = api(officer).post(
        f"/api/v1/cases/{high.pk}/assessments/",
        {
            "instrument": "birge-checklist",
            "instrument_version": "1",
            "answers": answers(),
            "submit": True,
        },
        content_type="application/json",
    )

    assert response.status_code == 202
    assert response.json()["status"] == "pending_approval"
    assert _level(high) == "high"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "standard", "reason": "ok"}, "reason"),
        ({"level": "extreme", "reason": REASON}, "level"),
        ({"reason": REASON}, "level"),
        ({"level": "standard"}, "reason"),
    ],
)
def test_a_bad_judgement_over_the_api_is_a_field_error(api, officer, high, body, field):
    response = _api_judge(api(officer), high, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not RiskAssessment.objects.filter(case=high, instrument_version=None).exists()


def test_the_api_route_is_in_the_schema_with_its_202(api, officer):
    schema = api(officer).get("/api/v1/schema/").content.decode()

    assert "/api/v1/cases/{case_id}/risk-level/" in schema
    assert "'202':" in schema or '"202":' in schema


def test_the_outsider_and_the_lead_cannot_post_a_judgement(api, outsider, lead, high):
    assert _api_judge(api(outsider), high, level="standard", reason=REASON).status_code == 404
    assert _api_judge(api(lead), high, level="standard", reason=REASON).status_code == 403
    assert _level(high) == "high"


# --- Approval --------------------------------------------------------------------------------


@pytest.fixture
def pending(officer, high):
    judged = services.assessment_judgement(
        actor=officer, case=high, level="standard", reason=REASON
    )
    assert judged.status == Status.PENDING_APPROVAL
    return judged


def test_a_professional_of_another_agency_in_the_circle_approves_and_the_level_goes_down(
    browse, shelter_worker, pending, high, time_machine
):
    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=False)

    response = browse(shelter_worker).post(f"/cases/{high.pk}/risk/{pending.pk}/approve/")

    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.approved_by) == (Status.SUBMITTED, shelter_worker)
    case = Case.objects.get(pk=high.pk)
    assert case.risk_level == "standard"
    assert case.reassessment_due_at == timezone.now() + timedelta(days=60)


@pytest.mark.parametrize("who", ["officer", "colleague", "coordinator"])
def test_an_approval_by_the_same_agency_is_refused(pending, high, who, request):
    with pytest.raises(ValidationError):
        services.assessment_approve_downgrade(
            approver=request.getfixturevalue(who), assessment=pending
        )

    assert _level(high) == "high"


def test_an_approval_after_a_later_assessment_is_refused(
    browse, coordinator, shelter_worker, pending, high, assess, time_machine
):
    time_machine.move_to(timezone.now() + timedelta(minutes=10), tick=False)
    assess(coordinator, high, "threat_to_kill")
    pending.refresh_from_db()
    assert pending.status == Status.SUPERSEDED
    client = browse(shelter_worker)
    page = unescape(client.get(f"/cases/{high.pk}/risk/{pending.pk}/").content.decode())
    assert "Approve the lower level" not in page
    assert "can no longer be approved" in page

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.assessment_approve_downgrade(approver=shelter_worker, assessment=pending)

    assert refused.value.code == "superseded"
    assert "A later assessment of this case has been submitted since" in refused.value.messages[0]
    response = client.post(f"/cases/{high.pk}/risk/{pending.pk}/approve/", follow=True)
    assert "can no longer be approved" in unescape(response.content.decode())
    assert _level(high) == "high"


def test_a_later_lower_proposal_supersedes_the_earlier_one(
    officer, coordinator, shelter_worker, pending, high
):
    later = services.assessment_judgement(
        actor=coordinator, case=high, level="medium", reason="The perpetrator is in custody now."
    )

    pending.refresh_from_db()
    assert (pending.status, later.status) == (Status.SUPERSEDED, Status.PENDING_APPROVAL)
    services.assessment_approve_downgrade(approver=shelter_worker, assessment=later)
    assert _level(high) == "medium"


def test_emergency_access_is_not_enough_to_approve(other_agency, pending, high):
    """She can open the case in an emergency, but her agency is not in its circle."""
    stranger = UserFactory(agency=other_agency, roles=["case_coordinator"])
    case_services.emergency_access_start(
        user=stranger, reference=high.reference, reason="She called us at night from Ganja."
    )

    assert not may_approve_lowering(user=stranger, case=high, proposer_agency_id=pending.agency_id)
    with pytest.raises(ValidationError):
        services.assessment_approve_downgrade(approver=stranger, assessment=pending)
    assert _level(high) == "high"
    assert not Notification.objects.filter(
        kind="risk.downgrade_requested", recipient=stranger
    ).exists()


def test_an_agency_removed_from_the_circle_can_no_longer_approve(
    officer, coordinator, shelter_worker, pending, high
):
    member = CircleMember.objects.get(case=high, agency=shelter_worker.agency)
    case_services.case_unshare(
        actor=coordinator, case=Case.objects.get(pk=high.pk), member=member, reason="Done."
    )

    assert not may_approve_lowering(
        user=shelter_worker, case=high, proposer_agency_id=pending.agency_id
    )
    with pytest.raises(PermissionDenied):
        services.assessment_approve_downgrade(approver=shelter_worker, assessment=pending)
    assert _level(high) == "high"


def test_a_level_by_judgement_alone_is_not_corrected_but_set_again(officer, pending):
    with pytest.raises(ValidationError):
        services.assessment_correct(actor=officer, original=pending)


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_judgement_and_approval_pages_read_in_every_language(
    browse, officer, shelter_worker, pending, high, language
):
    pages = []
    for user, url in (
        (officer, f"/cases/{high.pk}/risk/"),
        (officer, f"/cases/{high.pk}/risk/{pending.pk}/"),
        (shelter_worker, f"/cases/{high.pk}/risk/{pending.pk}/"),
    ):
        client = browse(user)
        client.cookies["birge_language"] = language
        response = client.get(url)
        assert response.status_code == 200
        pages.append(unescape(response.content.decode()))

    assert all("%(" not in page for page in pages)
    assert f'action="/cases/{high.pk}/risk/{pending.pk}/approve/"' in pages[2]
    assert f'action="/cases/{high.pk}/risk/{pending.pk}/approve/"' not in pages[1]
