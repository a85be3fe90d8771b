"""Overdue risk reassessments are chased like referrals: the assessor is reminded once
the due time has passed, the agency lead hears a quarter of the level's span later, the
coordinating body a whole span later; each step once, however often and on
however many servers the job runs; a new assessment starts the chase again.

The clock is moved with time_machine; the job is called as the scheduler calls it.
"""

import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.cases.models import Case
from birge.cases.tests.conftest import _known_keys  # noqa: F401 - fixed keys
from birge.cases.tests.factories import IncidentDataFactory, register_case
from birge.jobs.models import ReassessmentChase
from birge.jobs.reassessments import reassessment_deadlines
from birge.jobs.registry import JOBS, SCHEDULE
from birge.notifications.models import Notification
from birge.referrals.tests.test_jobs import (  # noqa: F401 - two connections at once
    _audit_triggers_back_after_flush,
    committed_db,
)
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(240))  # Baku
HIGH_SPAN = timedelta(days=7)
KINDS = {
    "reminder": "risk.reassessment_reminder",
    "lead": "risk.reassessment_overdue",
    "national": "risk.reassessment_overdue_national",
}


@pytest.fixture
def coordinating_body(db):
    return AgencyFactory(code="coordination", kind="coordinating_body")


@pytest.fixture
def cast(officer, lead, outsider, coordinating_body):
    """The officer assesses; the police lead oversees; of the coordinating body, the lead
    and the administrator (who keeps the protocol) hear, its analyst never; the outsider
    hears nothing."""
    return {
        "officer": officer,
        "coordinator": UserFactory(
            username="coordinator", agency=officer.agency, roles=["case_coordinator"]
        ),
        "lead": lead,
        "national_lead": UserFactory(
            username="national_lead", agency=coordinating_body, roles=["agency_lead"]
        ),
        "national_admin": UserFactory(
            username="national_admin", agency=coordinating_body, roles=["administrator"]
        ),
        "national_analyst": UserFactory(
            username="national_analyst", agency=coordinating_body, roles=["analyst"]
        ),
        "outsider": outsider,
        "outsider_lead": UserFactory(
            username="outsider_lead", agency=outsider.agency, roles=["agency_lead"]
        ),
    }


def checklist_answers(*yes: str) -> dict[str, str]:
    version = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    return {item.id: "yes" if item.id in yes else "no" for item in version.instrument.items}


def assess_at(moment: datetime, user, case: Case, *yes: str) -> Case:
    """A checklist assessment submitted at `moment` ("yes" to `yes`); the case as after it."""
    version = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    with time_machine.travel(moment, tick=False):
        draft = risk_services.assessment_draft_save(
            actor=user, case=case, instrument_version=version, answers=checklist_answers(*yes)
        )
        risk_services.assessment_submit(actor=user, assessment=draft)
    case.refresh_from_db()
    return case


def judge_at(moment: datetime, user, case: Case, level: str) -> Case:
    with time_machine.travel(moment, tick=False):
        risk_services.assessment_judgement(
            actor=user, case=case, level=level, reason="Set for this test of deadlines."
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def case(cast):
    """A high-risk case of the Baku police, assessed by the officer at T0: due at T0 + 7 days."""
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        registered = register_case(cast["officer"])
    return assess_at(T0, cast["officer"], registered, "threat_to_kill")


def run_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reassessment_deadlines(timezone.now())


def heard(step: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=KINDS[step]).values_list("recipient__username", flat=True)
    )


def chase_events(case: Case) -> list[str]:
    return sorted(
        AuditEvent.objects.filter(
            object_type="case", object_id=str(case.pk), action__startswith="risk.reassessment_"
        ).values_list("action", flat=True)
    )


# --- The reminder ------------------------------------------------------------------------


def test_nothing_happens_until_the_due_time_has_passed(case):
    assert case.risk_level == "high"
    assert case.reassessment_due_at == T0 + HIGH_SPAN

    assert run_at(case.reassessment_due_at) == 0

    assert not Notification.objects.filter(kind__startswith="risk.reassessment").exists()
    assert chase_events(case) == []


def test_the_assessor_is_reminded_once_the_due_time_has_passed(case):
    moment = case.reassessment_due_at + timedelta(seconds=1)

    assert run_at(moment) == 1

    assert heard("reminder") == {"officer"}
    assert heard("lead") == set()
    chase = ReassessmentChase.objects.get(case=case)
    assert (chase.due_at, chase.reminded_at, chase.escalated_at) == (
        case.reassessment_due_at,
        moment,
        None,
    )
    assert chase_events(case) == ["risk.reassessment_reminded"]


def test_the_notifications_carry_the_case_reference_only(case, mailoutbox):
    run_at(case.reassessment_due_at + HIGH_SPAN * 3)

    notes = Notification.objects.filter(kind__startswith="risk.reassessment")
    assert notes.count() == 4  # the coordinating body: its lead and its administrator
    assert {tuple(n.params.items()) for n in notes} == {(("reference", case.reference),)}
    assert {n.kind: n.url for n in notes} == {
        KINDS["reminder"]: f"/cases/{case.pk}/",
        KINDS["lead"]: f"/cases/{case.pk}/",
        # The coordinating body is not in the case's circle: no link to a page it cannot see.
        KINDS["national"]: "",
    }
    events = AuditEvent.objects.filter(action__startswith="risk.reassessment_")
    assert {tuple(e.data) for e in events} == {("due",)}


def test_an_assessor_who_can_no_longer_assess_leaves_the_reminder_to_the_coordinators(case, cast):
    officer = cast["officer"]
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    run_at(case.reassessment_due_at + timedelta(seconds=1))

    assert heard("reminder") == {"coordinator"}


def test_with_no_assessor_and_no_coordinator_the_reminder_goes_to_the_lead(officer, lead):
    """A case a police officer opened, in an agency without coordinators, made due by a
    new incident before any assessment: the reminder reaches the lead, never nobody."""
    with time_machine.travel(T0, tick=False):
        case = register_case(officer)
        case_services.incident_record(
            actor=officer, case=case, data=IncidentDataFactory(occurred_on=T0.date())
        )
    case.refresh_from_db()
    assert (case.risk_level, case.reassessment_due_at) == ("", T0)

    run_at(T0 + timedelta(seconds=1))

    assert heard("reminder") == {"lead"}


# --- Escalation to the agency lead -------------------------------------------------------


def test_the_lead_hears_once_a_quarter_of_the_span_has_passed_too(case):
    quarter = case.reassessment_due_at + HIGH_SPAN / 4

    run_at(quarter)
    assert heard("lead") == set()

    run_at(quarter + timedelta(seconds=1))
    assert heard("lead") == {"lead"}
    assert heard("national") == set()


def test_with_no_lead_the_coordinating_body_hears_at_the_leads_step(case, cast):
    lead = cast["lead"]
    lead.is_active = False
    lead.save(update_fields=["is_active"])

    run_at(case.reassessment_due_at + HIGH_SPAN / 4 + timedelta(seconds=1))

    assert heard("lead") == {"national_lead", "national_admin"}


@pytest.mark.parametrize(
    ("level", "lead_after"),
    [
        ("critical", timedelta(hours=18)),
        ("high", timedelta(hours=42)),
        ("medium", timedelta(days=7.5)),
        ("standard", timedelta(days=15)),
    ],
)
def test_the_steps_follow_the_span_of_the_level(cast, level, lead_after):
    with time_machine.travel(T0 - timedelta(hours=1), tick=False):
        case = register_case(cast["officer"])
    case = judge_at(T0, cast["officer"], case, level)

    run_at(case.reassessment_due_at + lead_after)
    assert heard("lead") == set()

    run_at(case.reassessment_due_at + lead_after + timedelta(seconds=1))
    assert heard("lead") == {"lead"}
    assert heard("national") == set()


def test_a_case_without_a_level_is_chased_on_the_shortest_span(officer, lead, cast):
    with time_machine.travel(T0, tick=False):
        case = register_case(officer)
        case_services.incident_record(
            actor=officer, case=case, data=IncidentDataFactory(occurred_on=T0.date())
        )

    run_at(T0 + timedelta(hours=18, seconds=1))

    assert heard("lead") == {"lead"}


# --- Escalation to the coordinating body -------------------------------------------------


def test_the_coordinating_bodys_leads_hear_once_a_whole_span_has_passed(case):
    run_at(case.reassessment_due_at + HIGH_SPAN)
    assert heard("national") == set()

    run_at(case.reassessment_due_at + HIGH_SPAN + timedelta(seconds=1))

    assert heard("national") == {"national_lead", "national_admin"}
    chase = ReassessmentChase.objects.get(case=case)
    assert chase.escalated_national_at == case.reassessment_due_at + HIGH_SPAN + timedelta(
        seconds=1
    )


def test_the_spans_are_settings(case, settings):
    settings.BIRGE_REASSESS_LEAD_SHARE = 0.5
    settings.BIRGE_REASSESS_NATIONAL_SHARE = 2.0
    due = case.reassessment_due_at

    run_at(due + HIGH_SPAN / 2)
    assert heard("lead") == set()
    run_at(due + HIGH_SPAN / 2 + timedelta(seconds=1))
    assert heard("lead") == {"lead"}

    run_at(due + HIGH_SPAN * 2)
    assert heard("national") == set()
    run_at(due + HIGH_SPAN * 2 + timedelta(seconds=1))
    assert heard("national") == {"national_lead", "national_admin"}


# --- Once per step -----------------------------------------------------------------------


def test_each_step_happens_once_over_many_runs(case, cast):
    due = case.reassessment_due_at
    moments = [due + timedelta(hours=h) for h in range(0, 24 * 16, 6)]

    counts = [run_at(moment) for moment in moments]

    assert sum(counts) == 3
    assert heard("reminder") == {"officer"}
    assert heard("lead") == {"lead"}
    assert heard("national") == {"national_lead", "national_admin"}
    assert Notification.objects.filter(kind__startswith="risk.reassessment").count() == 4
    assert chase_events(case) == [
        "risk.reassessment_escalated",
        "risk.reassessment_escalated_national",
        "risk.reassessment_reminded",
    ]
    assert not Notification.objects.filter(
        recipient__in=[
            cast["outsider"],
            cast["outsider_lead"],
            cast["national_analyst"],
        ]
    ).exists()


def test_steps_whose_time_came_while_no_job_ran_all_happen_once(case):
    late = case.reassessment_due_at + HIGH_SPAN * 3

    assert run_at(late) == 3
    assert run_at(late + timedelta(minutes=5)) == 0

    assert Notification.objects.filter(kind__startswith="risk.reassessment").count() == 4
    assert ReassessmentChase.objects.filter(case=case).count() == 1


def test_a_step_already_told_is_not_told_again_if_the_chase_is_lost(case):
    late = case.reassessment_due_at + HIGH_SPAN * 3
    run_at(late)
    # As if a restore from backup had lost the chase but kept the notifications.
    ReassessmentChase.objects.all().delete()

    run_at(late + timedelta(minutes=5))

    assert Notification.objects.filter(kind__startswith="risk.reassessment").count() == 4


# --- A new assessment starts again -------------------------------------------------------


def test_a_new_assessment_ends_the_chase_and_a_new_one_begins_if_it_is_late_again(case, cast):
    first_due = case.reassessment_due_at
    run_at(first_due + timedelta(seconds=1))
    assert heard("reminder") == {"officer"}

    # Reassessed a day late: due again 7 days on. The old chase's later steps never come.
    case = assess_at(first_due + timedelta(days=1), cast["officer"], case, "threat_to_kill")
    second_due = case.reassessment_due_at
    assert second_due == first_due + timedelta(days=1) + HIGH_SPAN
    assert run_at(second_due) == 0
    assert heard("lead") == set()

    assert run_at(second_due + timedelta(seconds=1)) == 1

    reminders = Notification.objects.filter(kind=KINDS["reminder"])
    assert reminders.count() == 2
    assert ReassessmentChase.objects.filter(case=case).count() == 2


def test_a_closed_case_is_not_chased(case, cast):
    case_services.case_close(
        actor=cast["coordinator"], case=case, reason="She moved abroad and is safe."
    )

    assert run_at(case.reassessment_due_at + HIGH_SPAN * 3) == 0
    assert not Notification.objects.filter(kind__startswith="risk.reassessment").exists()


def test_a_case_closed_during_the_chase_is_chased_no_further(case, cast):
    run_at(case.reassessment_due_at + timedelta(seconds=1))
    case_services.case_close(
        actor=cast["coordinator"], case=case, reason="She moved abroad and is safe."
    )

    assert run_at(case.reassessment_due_at + HIGH_SPAN * 3) == 0
    assert heard("lead") == set()


# --- The scheduler -----------------------------------------------------------------------


def test_the_scheduler_runs_the_chase():
    assert JOBS["reassessment_deadlines"] is reassessment_deadlines
    assert SCHEDULE["reassessment_deadlines"] == timedelta(minutes=5)


# --- Two schedulers at once ------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once need PostgreSQL: the test database of SQLite is a "
    "shared-cache in-memory one, whose table locks fail at once instead of waiting",
)
def test_two_schedulers_at_once_tell_each_step_exactly_once(committed_db, monkeypatch):  # noqa: F811
    # Small batches, so that the two passes interleave rather than one taking everything.
    monkeypatch.setattr("birge.jobs.deadlines.BATCH", 4)
    police = AgencyFactory(code="police-baku", kind="police")
    body = AgencyFactory(code="coordination", kind="coordinating_body")
    officer = UserFactory(username="officer", agency=police, roles=["frontline_officer"])
    UserFactory(username="coordinator", agency=police, roles=["case_coordinator"])
    UserFactory(username="lead", agency=police, roles=["agency_lead"])
    UserFactory(username="national_lead", agency=body, roles=["agency_lead"])
    cases = [register_case(officer) for _ in range(30)]
    # Due at T0, as a new incident leaves a case not yet assessed.
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(reassessment_due_at=T0)
    moment = T0 + HIGH_SPAN * 3
    start = threading.Barrier(2)
    counts, errors = [], []

    def scheduler():
        try:
            start.wait()
            counts.append(reassessment_deadlines(moment))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts) == 3 * len(cases)
    assert ReassessmentChase.objects.count() == len(cases)
    notifications = Notification.objects.filter(kind__startswith="risk.reassessment")
    assert notifications.count() == 3 * len(cases)
    for case in cases:
        for step in ("reminded_at", "escalated_at", "escalated_national_at"):
            assert (
                notifications.filter(
                    dedupe_key=f"reassessment:{case.pk}:{int(T0.timestamp())}:{step}"
                ).count()
                == 1
            )
    assert AuditEvent.objects.filter(action__startswith="risk.reassessment_").count() == 3 * len(
        cases
    )
