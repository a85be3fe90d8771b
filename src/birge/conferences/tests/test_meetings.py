"""A meeting's life through the services: the agenda built from the queue, research seen
only by that meeting's attendees, attendance as the acceptance of the confidentiality
statement, discussion that needs a quorum and joins the attending agencies to the case's
circle, closing, deferring, cancelling, and the chair's operations refused to others.
"""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent
from birge.cases.models import CasePerson, CircleMember, Part
from birge.cases.services import conflict_declare
from birge.cases.tests.factories import register_case
from birge.conferences import selectors, services
from birge.conferences.models import AgendaItem, ConferenceReferral, Meeting
from birge.conferences.tests.conftest import STATEMENT
from birge.notifications.models import Notification
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion

RStatus = ConferenceReferral.Status
DISCUSSION = {
    "summary": "Threats to kill after she asked for a divorce; two children at home.",
    "victim_view": "She wants him kept away from the school.",
    "risks": "Serious harm at the handover of the children.",
}


def assess(user, case, *, critical: bool = False) -> None:
    """A submitted checklist assessment at high risk (critical, by judgement)."""
    checklist = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    answers = {
        i.id: "yes" if i.id == "threat_to_kill" else "no" for i in checklist.instrument.items
    }
    draft = risk_services.assessment_draft_save(
        actor=user, case=case, instrument_version=checklist, answers=answers
    )
    risk_services.assessment_submit(
        actor=user,
        assessment=draft,
        final_level="critical" if critical else "",
        judgement_reason="He is outside her door with a knife now." if critical else "",
    )


def attend(meeting, *users, language="en"):
    for user in users:
        services.meeting_attend(actor=user, meeting=meeting, accept=True, language=language)


def next_week():
    return timezone.now() + timedelta(days=7)


def other_meeting(chair, series, officer):
    """Another meeting of the same series, in session, with another high-risk case."""
    other_case = register_case(officer)
    assess(officer, other_case)
    other = services.meeting_plan(
        actor=chair, series=series, starts_at=next_week() + timedelta(hours=3)
    )
    services.agenda_build(actor=chair, meeting=other)
    services.meeting_open(actor=chair, meeting=other)
    return other


# --- The agenda -------------------------------------------------------------------------


def test_the_agenda_lists_critical_cases_first_then_high_then_the_oldest(
    series, chair, officer, coordinator, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    judged = register_case(officer)
    services.conference_refer(
        actor=coordinator, case=judged, reason="He has just been released from prison."
    )
    time_machine.shift(timedelta(hours=1))
    high_older = register_case(officer)
    assess(officer, high_older)
    time_machine.shift(timedelta(hours=1))
    critical = register_case(officer)
    assess(officer, critical, critical=True)
    time_machine.shift(timedelta(hours=1))
    high_newer = register_case(officer)
    assess(officer, high_newer)
    time_machine.shift(timedelta(hours=1))
    meeting = services.meeting_plan(actor=chair, series=series, starts_at=next_week())

    items = services.agenda_build(actor=chair, meeting=meeting)

    assert [(i.position, i.case) for i in items] == [
        (1, critical),
        (2, high_older),
        (3, high_newer),
        (4, judged),
    ]
    assert set(
        ConferenceReferral.objects.filter(series=series).values_list("status", flat=True)
    ) == {RStatus.LISTED}
    assert list(selectors.queue_of_series(series)) == []


def test_the_agenda_takes_as_many_cases_as_asked(series, chair, officer):
    for _ in range(3):
        assess(officer, register_case(officer))
    meeting = services.meeting_plan(actor=chair, series=series, starts_at=next_week())

    assert len(services.agenda_build(actor=chair, meeting=meeting, limit=2)) == 2
    assert selectors.queue_of_series(series).count() == 1


# --- Research ---------------------------------------------------------------------------


def test_research_is_seen_by_that_meetings_attendees_and_each_author(
    chair, officer, series, coordinator, social_worker, shelter_worker, meeting, item
):
    hers = services.research_add(
        actor=social_worker, item=item, topic="children", text="Both children are on our list."
    )
    shelters = services.research_add(
        actor=shelter_worker, item=item, topic="other", text="She stayed with us in 2024."
    )
    # Before the meeting sits, each author sees her own note only.
    assert list(selectors.research_visible_to(user=social_worker, item=item)) == [hers]
    assert list(selectors.research_visible_to(user=coordinator, item=item)) == []

    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, chair, coordinator, social_worker)
    meeting = Meeting.objects.get(pk=meeting.pk)
    item = AgendaItem.objects.get(pk=item.pk)

    both = {hers, shelters}
    assert set(selectors.research_visible_to(user=social_worker, item=item)) == both
    assert set(selectors.research_visible_to(user=coordinator, item=item)) == both
    assert set(selectors.research_visible_to(user=chair, item=item)) == both
    # A member who did not accept this meeting's statement sees her own note only.
    assert list(selectors.research_visible_to(user=shelter_worker, item=item)) == [shelters]


def test_an_attendee_of_another_meeting_sees_none_of_this_meetings_research(
    chair, officer, series, shelter, social_worker, meeting, item
):
    services.research_add(
        actor=social_worker, item=item, topic="health", text="Treated for a broken arm."
    )
    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, chair, social_worker)
    elsewhere = UserFactory(
        username="shelter_colleague", agency=shelter, roles=["case_coordinator"]
    )
    other = other_meeting(chair, series, officer)
    attend(other, elsewhere)

    item = AgendaItem.objects.get(pk=item.pk)
    assert list(selectors.research_visible_to(user=elsewhere, item=item)) == []
    assert not selectors.may_see_discussion(user=elsewhere, meeting=item.meeting)


def test_a_case_of_a_person_she_declared_a_relation_to_is_not_on_her_agenda(
    coordinator, social_worker, meeting, item
):
    victim = CasePerson.objects.get(case=item.case, part=Part.VICTIM).person
    conflict_declare(
        user=social_worker,
        first_name=victim.first_name,
        last_name=victim.last_name,
        birth_date=victim.birth_date,
    )

    assert list(selectors.items_visible_to(user=social_worker, meeting=meeting)) == []
    with pytest.raises(Http404):
        selectors.item_get_for_user(user=social_worker, meeting=meeting, item_id=item.pk)
    assert list(selectors.items_visible_to(user=coordinator, meeting=meeting)) == [item]


# --- Attendance -------------------------------------------------------------------------


def test_attending_records_the_statement_accepted(chair, coordinator, series, meeting):
    services.meeting_open(actor=chair, meeting=meeting)

    attendance = services.meeting_attend(
        actor=coordinator, meeting=meeting, accept=True, language="ru"
    )

    assert attendance.agency == coordinator.agency
    assert attendance.statement_language == "ru"
    assert attendance.statement_digest == hashlib.sha256(STATEMENT.encode()).hexdigest()
    assert AuditEvent.objects.filter(
        action="conference.attended", object_id=str(meeting.pk), actor=coordinator
    ).exists()


def test_attending_needs_the_statement_accepted(chair, coordinator, meeting):
    services.meeting_open(actor=chair, meeting=meeting)

    with pytest.raises(ValidationError) as error:
        services.meeting_attend(actor=coordinator, meeting=meeting, accept=False, language="en")

    assert list(error.value.message_dict) == ["accept"]
    assert not selectors.meeting_attends(user=coordinator, meeting=meeting)


def test_accepting_twice_says_she_already_did(chair, coordinator, meeting):
    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, coordinator)

    with pytest.raises(ValidationError, match="already accepted") as error:
        attend(meeting, coordinator)

    assert error.value.code == "already"
    assert meeting.attendances.filter(user=coordinator).count() == 1


def test_nobody_attends_a_meeting_that_has_not_opened(coordinator, meeting):
    with pytest.raises(ValidationError, match="while the meeting is in session"):
        attend(meeting, coordinator)

    assert not meeting.attendances.exists()


def test_someone_outside_the_series_cannot_attend(chair, ganja_coordinator, meeting):
    services.meeting_open(actor=chair, meeting=meeting)

    with pytest.raises(PermissionDenied):
        attend(meeting, ganja_coordinator)


# --- Discussion -------------------------------------------------------------------------


def test_discussion_needs_a_quorum_of_member_agencies(chair, meeting, item):
    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, chair)  # the coordinating body alone: 1 of the 2 needed

    with pytest.raises(ValidationError, match="quorum is not reached") as error:
        services.item_discuss(actor=chair, item=item, **DISCUSSION)

    assert error.value.code == "quorum"
    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.PENDING


def test_discussion_joins_the_attending_agencies_to_the_circle(
    chair,
    chair_agency,
    coordinator,
    social,
    social_worker,
    shelter,
    police,
    series,
    in_session,
    item,
):
    case = item.case
    assert not cases_visible_to(social_worker).filter(pk=case.pk).exists()

    services.item_discuss(actor=chair, item=item, **DISCUSSION)

    joined = CircleMember.objects.filter(case=case, route="conference", removed_at__isnull=True)
    assert {m.agency for m in joined} == {social, chair_agency}
    for member in joined:
        assert member.basis == CircleMember.Basis.CONFERENCE
        assert series.legal_basis in member.reason
    # The owning police were in already; the shelter did not attend.
    assert list(CircleMember.objects.filter(case=case, agency=police).values_list("route")) == [
        ("owner",)
    ]
    assert not CircleMember.objects.filter(case=case, agency=shelter).exists()
    assert cases_visible_to(social_worker).filter(pk=case.pk).exists()
    assert Notification.objects.filter(
        recipient=coordinator, kind="conference.circle_joined"
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action="case.shared_for_conference", object_id=str(case.pk)
        ).count()
        == 2
    )


def test_an_attending_agency_the_victim_consented_to_joins_on_her_consent(
    chair, coordinator, social, in_session, item
):
    from birge.cases.services import consent_record
    from birge.cases.tests.factories import consent_for

    consent_record(actor=coordinator, case=item.case, **consent_for(social))

    services.item_discuss(actor=chair, item=item, **DISCUSSION)

    member = CircleMember.objects.get(case=item.case, agency=social, removed_at__isnull=True)
    assert (member.route, member.basis) == ("conference", CircleMember.Basis.CONSENT)
    assert member.consent is not None
    assert AuditEvent.objects.filter(
        action="case.shared", object_id=str(item.case_id), data__agency=social.pk
    ).exists()


def test_a_discussed_case_is_heard_on_the_meeting_day(chair, in_session, item):
    services.item_discuss(actor=chair, item=item, **DISCUSSION)

    referral = ConferenceReferral.objects.get(pk=item.referral_id)
    assert referral.status == RStatus.HEARD
    assert referral.heard_at == in_session.starts_at
    assert referral.heard_meeting == in_session
    item.case.refresh_from_db()
    assert item.case.conference_queued_at is None
    assert list(selectors.watch_of_series(in_session.series)) == [referral]


def test_the_chair_discusses_only_after_accepting_the_statement(
    chair, coordinator, social_worker, meeting, item
):
    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, coordinator, social_worker)

    with pytest.raises(ValidationError, match="Accept the meeting's confidentiality statement"):
        services.item_discuss(actor=chair, item=item, **DISCUSSION)


# --- Closing, deferring, cancelling -----------------------------------------------------


def test_closing_refuses_an_action_without_a_named_person(chair, social, in_session, item):
    services.item_discuss(actor=chair, item=item, **DISCUSSION)
    services.action_add(
        actor=chair,
        item=item,
        text="Find her a place at the shelter.",
        agency=social,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim"],
    )

    with pytest.raises(ValidationError, match="1 action has no named person responsible"):
        services.meeting_close(actor=chair, meeting=in_session)

    in_session.refresh_from_db()
    assert in_session.status == Meeting.Status.IN_SESSION


def test_closing_refuses_a_case_not_yet_discussed(chair, in_session, item):
    with pytest.raises(ValidationError, match="not yet discussed") as error:
        services.meeting_close(actor=chair, meeting=in_session)

    assert item.case.reference in str(error.value)
    in_session.refresh_from_db()
    assert in_session.status == Meeting.Status.IN_SESSION


def test_closing_refuses_a_meeting_without_quorum(chair, meeting, item):
    services.meeting_open(actor=chair, meeting=meeting)
    attend(meeting, chair)
    services.item_defer(actor=chair, item=item)

    with pytest.raises(ValidationError, match="quorum is not reached"):
        services.meeting_close(actor=chair, meeting=meeting)


def test_a_deferred_case_goes_back_to_the_queue(chair, series, in_session, item):
    services.item_defer(actor=chair, item=item)

    item.refresh_from_db()
    assert item.outcome == AgendaItem.Outcome.DEFERRED
    assert list(selectors.queue_of_series(series)) == [item.referral]
    with pytest.raises(ValidationError, match="deferred"):
        services.item_discuss(actor=chair, item=item, **DISCUSSION)


def test_a_meeting_closes_when_every_case_is_discussed_or_deferred(
    chair, social, social_worker, in_session, item
):
    services.item_discuss(actor=chair, item=item, **DISCUSSION)
    services.action_add(
        actor=chair,
        item=item,
        text="Find her a place at the shelter.",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim", "children"],
    )

    services.meeting_close(actor=chair, meeting=in_session)

    in_session.refresh_from_db()
    assert in_session.status == Meeting.Status.CLOSED
    assert in_session.closed_by == chair
    item.referral.refresh_from_db()
    assert item.referral.status == RStatus.HEARD


def test_cancelling_a_meeting_returns_its_cases_to_the_queue(chair, series, meeting, queued):
    services.meeting_cancel(actor=chair, meeting=meeting, reason="The chair is ill.")

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    queued.refresh_from_db()
    assert queued.status == RStatus.QUEUED
    assert list(selectors.queue_of_series(series)) == [queued]


def test_cancelling_needs_a_reason(chair, meeting):
    with pytest.raises(ValidationError) as error:
        services.meeting_cancel(actor=chair, meeting=meeting, reason="")

    assert list(error.value.message_dict) == ["reason"]


def test_a_meeting_in_session_cannot_be_cancelled(chair, in_session):
    with pytest.raises(ValidationError, match="has not sat"):
        services.meeting_cancel(actor=chair, meeting=in_session, reason="The chair is ill.")


# --- Only the chair ---------------------------------------------------------------------

CHAIR_OPERATIONS = {
    "plan": lambda u, m, i: services.meeting_plan(
        actor=u, series=m.series, starts_at=next_week() + timedelta(days=1)
    ),
    "agenda_add": lambda u, m, i: services.agenda_add(actor=u, meeting=m, referral=i.referral),
    "agenda_build": lambda u, m, i: services.agenda_build(actor=u, meeting=m),
    "agenda_remove": lambda u, m, i: services.agenda_remove(actor=u, item=i),
    "agenda_send": lambda u, m, i: services.agenda_send(actor=u, meeting=m),
    "open": lambda u, m, i: services.meeting_open(actor=u, meeting=m),
    "cancel": lambda u, m, i: services.meeting_cancel(actor=u, meeting=m, reason="Not needed."),
    "discuss": lambda u, m, i: services.item_discuss(actor=u, item=i, **DISCUSSION),
    "defer": lambda u, m, i: services.item_defer(actor=u, item=i),
    "close": lambda u, m, i: services.meeting_close(actor=u, meeting=m),
    "withdraw": lambda u, m, i: services.conference_withdraw(
        actor=u, referral=i.referral, reason="Not needed."
    ),
}


@pytest.mark.parametrize("operation", list(CHAIR_OPERATIONS))
@pytest.mark.parametrize("who", ["coordinator", "social_worker", "lead", "outsider"])
def test_only_the_chair_runs_the_meeting(request, meeting, item, operation, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        CHAIR_OPERATIONS[operation](user, meeting, item)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.items.count() == 1
