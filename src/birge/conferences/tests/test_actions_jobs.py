"""Conference actions: agreed with a responsible agency, a named person and a due date;
carried out by that agency; reminded at three quarters of their time and escalated to the
agency's lead and the chair once overdue, once however often the job runs; and the case
closed at the conference only when none is left open.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent
from birge.conferences import services
from birge.conferences.models import ConferenceAction, ConferenceReferral
from birge.jobs.conferences import conference_action_deadlines
from birge.jobs.registry import jobs_run
from birge.notifications.models import Notification

BAKU = ZoneInfo("Asia/Baku")
DISCUSSION = {
    "summary": "Threats to kill after she asked for a divorce; two children at home.",
    "victim_view": "She wants him kept away from the school.",
    "risks": "Serious harm at the handover of the children.",
}
TEXT = "Find her and the children a place at the shelter."


@pytest.fixture
def social_lead(social):
    return UserFactory(username="social_lead", agency=social, roles=["agency_lead"])


@pytest.fixture
def social_colleague(social):
    """Another of the social protection agency's people who attend conferences."""
    return UserFactory(username="social_colleague", agency=social, roles=["case_coordinator"])


@pytest.fixture
def discussed(chair, in_session, item):
    services.item_discuss(actor=chair, item=item, **DISCUSSION)
    return item


def add(chair, item, agency, *, person=None, days=4) -> ConferenceAction:
    return services.action_add(
        actor=chair,
        item=item,
        text=TEXT,
        agency=agency,
        person=person,
        due_on=timezone.localdate() + timedelta(days=days),
        concerns=["victim", "children"],
    )


@pytest.fixture
def action(chair, discussed, social, social_worker, social_lead):
    """The social protection agency's action, for the social worker, due in 4 days."""
    return add(chair, discussed, social, person=social_worker)


def end_of(day) -> datetime:
    """The first moment after `day`, in Baku."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=BAKU)


def reminder_moment(action: ConferenceAction) -> datetime:
    return action.created_at + (end_of(action.due_on) - action.created_at) * 0.75


def heard(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def events(code: str, action: ConferenceAction):
    return AuditEvent.objects.filter(action=code, object_id=str(action.case_id))


# --- Agreeing an action -----------------------------------------------------------------


def test_the_chair_agrees_an_action_and_the_named_person_hears_of_it(action, social, social_worker):
    assert action.status == ConferenceAction.Status.OPEN
    assert (action.agency, action.person, action.text) == (social, social_worker, TEXT)
    assert action.concerns == ["children", "victim"]
    assert heard("conference.action_assigned") == ["social_worker"]
    assert events("conference.action_added", action).get().data["conference_action"] == action.pk


BAD_INPUT = {
    "no-agency": ("agency", lambda request: {"agency": None}),
    "due-yesterday": (
        "due_on",
        lambda request: {"due_on": timezone.localdate() - timedelta(days=1)},
    ),
    "person-of-another-agency": (
        "person",
        lambda request: {"person": request.getfixturevalue("coordinator")},
    ),
    "no-concerns": ("concerns", lambda request: {"concerns": []}),
    "unknown-concern": ("concerns", lambda request: {"concerns": ["neighbours"]}),
    "no-text": ("text", lambda request: {"text": "  "}),
}


@pytest.mark.parametrize("bad", list(BAD_INPUT))
def test_a_bad_action_gets_a_field_error_and_is_not_saved(request, chair, discussed, social, bad):
    field, change = BAD_INPUT[bad]
    values = {
        "text": TEXT,
        "agency": social,
        "due_on": timezone.localdate() + timedelta(days=4),
        "concerns": ["victim"],
        **change(request),
    }

    with pytest.raises(ValidationError) as error:
        services.action_add(actor=chair, item=discussed, **values)

    assert list(error.value.message_dict) == [field]
    assert not ConferenceAction.objects.exists()


def test_an_action_is_due_today_at_the_earliest(chair, discussed, social):
    assert add(chair, discussed, social, days=0).due_on == timezone.localdate()


def test_only_the_chair_agrees_actions(coordinator, discussed, social):
    with pytest.raises(PermissionDenied):
        add(coordinator, discussed, social)


# --- Carrying it out --------------------------------------------------------------------


def test_the_named_person_reports_the_action_done(chair, action, social_worker):
    services.action_complete(actor=social_worker, action=action, note="She moved in today.")

    action.refresh_from_db()
    assert action.status == ConferenceAction.Status.DONE
    assert action.completed_by == social_worker
    assert action.note == "She moved in today."
    assert heard("conference.action_done") == ["chair"]
    assert events("conference.action_done", action).get().data["on_time"] is True


def test_an_attendee_of_the_responsible_agency_reports_it_done(action, social_colleague):
    services.action_complete(actor=social_colleague, action=action)

    action.refresh_from_db()
    assert (action.status, action.completed_by) == ("done", social_colleague)


@pytest.mark.parametrize("who", ["coordinator", "shelter_worker", "chair", "outsider"])
def test_another_agencys_user_cannot_report_it_done(request, action, who):
    # The coordinator and the chair attended the meeting; neither is responsible.
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=request.getfixturevalue(who), action=action)

    action.refresh_from_db()
    assert action.status == ConferenceAction.Status.OPEN


def test_an_action_is_done_once(action, social_worker, social_colleague):
    services.action_complete(actor=social_worker, action=action)

    with pytest.raises(ValidationError, match="no longer open"):
        services.action_complete(actor=social_colleague, action=action)


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [(timedelta(seconds=-1), True), (timedelta(0), False)],
    ids=["last-second-of-the-due-day", "the-day-after"],
)
def test_on_time_means_by_the_end_of_the_due_day(
    time_machine, action, social_worker, moment, on_time
):
    time_machine.move_to(end_of(action.due_on) + moment, tick=False)

    services.action_complete(actor=social_worker, action=action)

    assert services.action_on_time(action) is on_time
    assert events("conference.action_done", action).get().data["on_time"] is on_time


def test_an_open_action_is_neither_on_time_nor_late(action):
    assert services.action_on_time(action) is None


def test_the_chair_cancels_an_action_saying_why(chair, action):
    with pytest.raises(ValidationError) as error:
        services.action_cancel(actor=chair, action=action, reason="")
    assert list(error.value.message_dict) == ["reason"]

    services.action_cancel(actor=chair, action=action, reason="She found a place herself.")

    action.refresh_from_db()
    assert action.status == ConferenceAction.Status.CANCELLED
    assert services.action_on_time(action) is None


# --- The deadline job -------------------------------------------------------------------


def test_nothing_happens_before_three_quarters_of_the_time(action):
    assert conference_action_deadlines(reminder_moment(action) - timedelta(seconds=1)) == 0

    assert heard("conference.action_reminder") == []
    assert not events("conference.action_reminded", action).exists()


def test_the_named_person_is_reminded_once_at_three_quarters(action):
    moment = reminder_moment(action)

    assert conference_action_deadlines(moment) == 1
    assert conference_action_deadlines(moment + timedelta(minutes=1)) == 0

    assert heard("conference.action_reminder") == ["social_worker"]
    assert events("conference.action_reminded", action).count() == 1
    action.refresh_from_db()
    assert action.reminded_at == moment
    assert action.escalated_at is None
    assert heard("conference.action_overdue") == []


def test_without_a_named_person_the_agencys_attendees_are_reminded(
    chair, discussed, social, social_worker, social_colleague, social_lead
):
    unnamed = add(chair, discussed, social)

    conference_action_deadlines(reminder_moment(unnamed))

    assert heard("conference.action_reminder") == ["social_colleague", "social_worker"]


def test_an_overdue_action_escalates_to_the_agency_lead_and_the_chair_once(action, lead):
    due = end_of(action.due_on)
    conference_action_deadlines(due - timedelta(seconds=1))
    assert heard("conference.action_overdue") == []

    for later in (timedelta(0), timedelta(minutes=5), timedelta(days=2)):
        conference_action_deadlines(due + later)
    assert jobs_run(names=["conference_action_deadlines"], now=due + timedelta(days=3)) == {
        "conference_action_deadlines": 0
    }

    # The police's lead (another agency's) hears nothing.
    assert heard("conference.action_overdue") == ["chair", "social_lead"]
    escalated = events("conference.action_escalated", action)
    assert escalated.count() == 1
    assert escalated.get().data == {"conference_action": action.pk, "agency": action.agency_id}
    action.refresh_from_db()
    assert action.escalated_at == due


def test_a_step_missed_while_no_job_ran_still_happens_once(action):
    # The first run after the due day: the reminder and the escalation both go out.
    assert conference_action_deadlines(end_of(action.due_on) + timedelta(days=1)) == 2

    assert heard("conference.action_reminder") == ["social_worker"]
    assert heard("conference.action_overdue") == ["chair", "social_lead"]


@pytest.mark.parametrize("how", ["done", "cancelled"])
def test_an_action_no_longer_open_never_escalates(chair, action, social_worker, how):
    if how == "done":
        services.action_complete(actor=social_worker, action=action)
    else:
        services.action_cancel(actor=chair, action=action, reason="Not needed any more.")

    assert conference_action_deadlines(end_of(action.due_on) + timedelta(days=5)) == 0

    assert heard("conference.action_reminder") == []
    assert heard("conference.action_overdue") == []
    assert not events("conference.action_escalated", action).exists()


# --- Closing the case at the conference -------------------------------------------------


def test_the_case_stays_under_watch_while_an_action_is_open(chair, action):
    referral = ConferenceReferral.objects.get(pk=action.item.referral_id)

    with pytest.raises(ValidationError, match="1 action of this case is still open") as error:
        services.watch_close(actor=chair, referral=referral)

    assert error.value.code == "open_actions"
    referral.refresh_from_db()
    assert referral.status == ConferenceReferral.Status.HEARD


@pytest.mark.parametrize("how", ["done", "cancelled"])
def test_the_chair_closes_the_case_when_every_action_is_finished(chair, action, social_worker, how):
    if how == "done":
        services.action_complete(actor=social_worker, action=action)
    else:
        services.action_cancel(actor=chair, action=action, reason="Not needed any more.")
    referral = ConferenceReferral.objects.get(pk=action.item.referral_id)

    services.watch_close(actor=chair, referral=referral, note="Safe with her sister.")

    referral.refresh_from_db()
    assert referral.status == ConferenceReferral.Status.CLOSED
    assert (referral.closed_by, referral.close_note) == (chair, "Safe with her sister.")
    assert events("conference.watch_closed", action).count() == 1


def test_only_the_chair_closes_the_case_at_the_conference(coordinator, action, social_worker):
    services.action_complete(actor=social_worker, action=action)
    referral = ConferenceReferral.objects.get(pk=action.item.referral_id)

    with pytest.raises(PermissionDenied):
        services.watch_close(actor=coordinator, referral=referral)


def test_a_case_not_yet_heard_cannot_be_closed_at_the_conference(chair, queued):
    with pytest.raises(ValidationError, match="under the conference's watch"):
        services.watch_close(actor=chair, referral=queued)
