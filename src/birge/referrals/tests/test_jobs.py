"""Referral deadlines and the other periodic jobs: reminders and escalation at their
edges with a moved clock, once per event however often (and on however many servers)
the jobs run, and emails that say nothing about anyone.

Referrals are made directly with Referral.objects.create, with the statuses and
timestamps the lifecycle sets, so that these tests do not depend on its services.
"""

import base64
import logging
import os
import signal
import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from birge.agencies.models import Service
from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.audit.tests.triggers import triggers_down, triggers_up
from birge.cases.models import EmergencyAccess
from birge.cases.tests.factories import register_case
from birge.jobs.emergency import emergency_access_expiry
from birge.jobs.referrals import referral_deadlines
from birge.jobs.registry import JOBS, jobs_run
from birge.notifications.models import Notification, NotificationPreference
from birge.referrals.models import Referral

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(240))  # Baku
PROMISE = timedelta(hours=4)
SUMMARY = "Needs a shelter place tonight for herself and two children."


@pytest.fixture(autouse=True)
def _known_keys(settings):
    settings.BIRGE_ENCRYPTION_KEYS = ["k1:" + base64.b64encode(bytes(range(32))).decode()]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64


@pytest.fixture
def shelter(db):
    return AgencyFactory(code="shelter-baku", kind="shelter_ngo")


@pytest.fixture
def coordinating_body(db):
    return AgencyFactory(code="coordination", kind="coordinating_body")


@pytest.fixture
def cast(officer, lead, outsider, shelter, coordinating_body):
    """Who hears of what: the shelter's worker (receives referrals) and its lead (also
    receives, and oversees); the coordinating body's lead and administrator; an analyst
    of the coordinating body, the police lead and an outsider, who hear nothing."""
    return {
        "worker": UserFactory(
            username="shelter_worker", agency=shelter, roles=["frontline_officer"]
        ),
        "shelter_lead": UserFactory(username="shelter_lead", agency=shelter, roles=["agency_lead"]),
        "national_lead": UserFactory(
            username="national_lead", agency=coordinating_body, roles=["agency_lead"]
        ),
        "national_admin": UserFactory(
            username="national_admin", agency=coordinating_body, roles=["administrator"]
        ),
        "national_analyst": UserFactory(
            username="national_analyst", agency=coordinating_body, roles=["analyst"]
        ),
        "police_lead": lead,
        "outsider": outsider,
        "officer": officer,
    }


@pytest.fixture
def shelter_service(shelter):
    return Service.objects.create(
        agency=shelter, kind="shelter", name_az="Sığınacaq", name_ru="Приют", name_en="Shelter"
    )


@pytest.fixture
def case(officer):
    return register_case(officer, victim={"first_name": "Gülnarə", "last_name": "Məmmədova"})


def make_referral(*, case, service, by, sent_at=T0, promise=PROMISE, **fields) -> Referral:
    """A referral as the lifecycle leaves it once sent (or later, with `fields`)."""
    values = {
        "case": case,
        "from_agency": by.agency,
        "to_agency": service.agency,
        "service": service,
        "summary": SUMMARY,
        "status": Referral.Status.SENT,
        "created_by": by,
        "sent_at": sent_at,
        "due_at": sent_at + promise,
        **fields,
    }
    return Referral.objects.create(**values)


@pytest.fixture
def referral(case, shelter_service, cast):
    return make_referral(case=case, service=shelter_service, by=cast["officer"])


def heard(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def run_at(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return referral_deadlines(timezone.now())


# --- The reminder ------------------------------------------------------------------------


def test_the_reminder_waits_until_three_quarters_of_the_promised_time(referral):
    assert run_at(T0 + PROMISE * 0.75 - timedelta(seconds=1)) == 0
    assert heard("referral.reminder") == set()
    assert Referral.objects.get(pk=referral.pk).reminded_at is None


def test_the_reminder_goes_to_the_receiving_agency_at_three_quarters(referral, cast):
    moment = T0 + PROMISE * 0.75

    assert run_at(moment) == 1

    assert heard("referral.reminder") == {"shelter_worker", "shelter_lead"}
    assert Referral.objects.get(pk=referral.pk).reminded_at == moment
    assert heard("referral.overdue") == set()


# --- Escalation to the agency lead -------------------------------------------------------


def test_escalation_waits_until_the_due_time_has_passed(referral):
    run_at(referral.due_at)

    assert heard("referral.overdue") == set()
    assert Referral.objects.get(pk=referral.pk).escalated_at is None


def test_escalation_goes_to_the_receiving_agencys_lead_once_the_due_time_passed(referral):
    moment = referral.due_at + timedelta(seconds=1)

    run_at(moment)

    assert heard("referral.overdue") == {"shelter_lead"}
    assert Referral.objects.get(pk=referral.pk).escalated_at == moment
    assert heard("referral.overdue_national") == set()


# --- Escalation to the coordinating body -------------------------------------------------


def test_national_escalation_waits_for_a_further_equal_span(referral):
    run_at(referral.due_at + PROMISE)

    assert heard("referral.overdue_national") == set()


def test_national_escalation_goes_to_the_coordinating_bodys_leads_and_protocol_managers(
    referral,
):
    moment = referral.due_at + PROMISE + timedelta(seconds=1)

    run_at(moment)

    assert heard("referral.overdue_national") == {"national_lead", "national_admin"}
    assert Referral.objects.get(pk=referral.pk).escalated_national_at == moment


def test_the_further_span_is_a_setting(referral, settings):
    settings.BIRGE_REFERRAL_NATIONAL_FACTOR = 0.5

    run_at(referral.due_at + PROMISE / 2 + timedelta(seconds=1))

    assert heard("referral.overdue_national") == {"national_lead", "national_admin"}


def test_steps_whose_time_came_while_no_job_ran_all_happen_once(referral):
    assert run_at(T0 + timedelta(days=3)) == 3
    assert run_at(T0 + timedelta(days=3, minutes=1)) == 0

    assert heard("referral.reminder") == {"shelter_worker", "shelter_lead"}
    assert heard("referral.overdue") == {"shelter_lead"}
    assert heard("referral.overdue_national") == {"national_lead", "national_admin"}
    actions = AuditEvent.objects.filter(object_type="referral", object_id=str(referral.pk))
    assert sorted(actions.values_list("action", flat=True)) == [
        "referral.escalated",
        "referral.escalated_national",
        "referral.reminded",
    ]


@pytest.mark.parametrize(
    "status", ["draft", "accepted", "declined", "in_progress", "completed", "withdrawn"]
)
def test_referrals_not_waiting_for_an_answer_are_left_alone(case, shelter_service, cast, status):
    answered = {"responded_at": T0 + timedelta(hours=1)} if status != "draft" else {}
    make_referral(case=case, service=shelter_service, by=cast["officer"], status=status, **answered)

    assert run_at(T0 + timedelta(days=3)) == 0
    assert not Notification.objects.filter(kind__startswith="referral.").exists()


def test_running_the_job_twice_notifies_once_per_event(referral):
    moment = referral.due_at + timedelta(minutes=5)

    assert run_at(moment) == 2
    assert run_at(moment) == 0
    assert run_at(moment + timedelta(seconds=30)) == 0

    assert Notification.objects.filter(kind="referral.reminder").count() == 2
    assert Notification.objects.filter(kind="referral.overdue").count() == 1


def test_a_step_already_notified_is_not_notified_again_even_if_its_timestamp_is_lost(
    referral,
):
    moment = T0 + PROMISE * 0.75
    run_at(moment)
    # As if a restore from backup had lost the timestamp but kept the notifications.
    Referral.objects.filter(pk=referral.pk).update(reminded_at=None)

    run_at(moment)

    assert Notification.objects.filter(kind="referral.reminder").count() == 2


# --- Email -----------------------------------------------------------------------------


def test_deadline_emails_carry_no_personal_data(referral, case, cast, mailoutbox):
    run_at(T0 + timedelta(days=3))
    jobs_run(names=["notification_emails"])

    addresses = sorted(address for mail in mailoutbox for address in mail.to)
    assert addresses == sorted(
        f"{name}@example.invalid"
        for name in [
            "shelter_worker",  # the reminder
            "shelter_lead",  # the reminder and the escalation, in one email
            "national_lead",  # escalation to the coordinating body
            "national_admin",
        ]
    )
    for mail in mailoutbox:
        text = mail.subject + "\n" + mail.body
        for secret in ["Gülnarə", "Məmmədova", case.reference, SUMMARY, "shelter", "Sığınacaq"]:
            assert secret not in text
        assert "/notifications/" in mail.body


def test_no_email_for_those_who_turned_it_off(referral, cast, mailoutbox):
    NotificationPreference.objects.create(user=cast["worker"], email=False)

    run_at(T0 + PROMISE * 0.75)
    jobs_run(names=["notification_emails"])

    assert [mail.to for mail in mailoutbox] == [["shelter_lead@example.invalid"]]
    assert heard("referral.reminder") == {"shelter_worker", "shelter_lead"}


# --- Emergency access expiry -------------------------------------------------------------


@pytest.fixture
def grant(case, outsider):
    return EmergencyAccess.objects.create(
        case=case,
        user=outsider,
        reason="She was brought to our station at night.",
        started_at=T0,
        expires_at=T0 + timedelta(hours=4),
    )


def test_an_emergency_grant_ends_once_when_it_expires(grant):
    with time_machine.travel(grant.expires_at - timedelta(seconds=1), tick=False):
        assert emergency_access_expiry(timezone.now()) == 0
    with time_machine.travel(grant.expires_at + timedelta(minutes=1), tick=False):
        assert emergency_access_expiry(timezone.now()) == 1
        assert emergency_access_expiry(timezone.now()) == 0

    assert EmergencyAccess.objects.get(pk=grant.pk).ended_at == grant.expires_at
    ended = AuditEvent.objects.filter(action="case.emergency_access.ended")
    assert [event.data for event in ended] == [{"grant": grant.pk, "expired": True}]
    assert ended.get().object_id == str(grant.case_id)


def test_a_grant_ended_by_its_user_is_not_ended_again(grant):
    EmergencyAccess.objects.filter(pk=grant.pk).update(ended_at=T0 + timedelta(hours=1))

    assert emergency_access_expiry(T0 + timedelta(days=1)) == 0
    assert not AuditEvent.objects.filter(action="case.emergency_access.ended").exists()


# --- The registry and the commands -------------------------------------------------------


def test_the_registry_names_every_job_and_the_scheduler_runs_each():
    from birge.jobs.registry import SCHEDULE

    assert list(JOBS) == [
        "referral_deadlines",
        "conference_action_deadlines",
        "reassessment_deadlines",
        "emergency_access_expiry",
        "retention",
        "idempotency_expiry",
        "audit_seal",
        "audit_checkpoint",
        "unassigned_reading",
        "notification_emails",
        "draft_expiry",
        "order_expiry",
        "order_expiry_reminders",
        "statistics_refresh",
    ]
    assert set(SCHEDULE) == set(JOBS)


def test_jobs_run_runs_all_or_the_named_jobs_and_prints_counts(referral, grant, capsys):
    with time_machine.travel(T0 + PROMISE * 0.75, tick=False):
        call_command("jobs", "run", "referral_deadlines")
    assert capsys.readouterr().out == "referral_deadlines: 1\n"

    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        call_command("jobs", "run")
    out = capsys.readouterr().out
    # The audit sealer seals the events the other jobs (and the fixtures) recorded.
    assert out.startswith(
        "referral_deadlines: 2\nconference_action_deadlines: 0\nreassessment_deadlines: 0\n"
        "emergency_access_expiry: 1\nretention: 0\nidempotency_expiry: 0\naudit_seal: "
    )
    counts = dict(line.split(": ") for line in out.splitlines())
    assert int(counts["audit_seal"]) > 0
    # No checkpoint key in the tests: the checkpoint job does nothing.
    assert counts["audit_checkpoint"] == "0"


def test_jobs_run_refuses_an_unknown_job(db):
    with pytest.raises(CommandError, match="No such job: reminders"):
        call_command("jobs", "run", "reminders")
    with pytest.raises(KeyError):
        jobs_run(names=["reminders"])


def test_the_scheduler_runs_every_job_logs_counts_and_stops_on_sigterm(monkeypatch, caplog):
    """In-process, with stand-in jobs (the real ones are tested above): every job runs
    at start, counts are logged, and SIGTERM ends the command cleanly."""
    ran = []

    def stand_in(name):
        def job(now):
            ran.append(name)
            return 7

        return job

    for name in JOBS:
        monkeypatch.setitem(JOBS, name, stand_in(name))
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(1.5, os.kill, args=[os.getpid(), signal.SIGTERM]).start()

    with caplog.at_level(logging.INFO, logger="birge.jobs"):
        call_command("scheduler")

    assert sorted(ran) == sorted(JOBS)
    assert {f"job {name}: 7" for name in JOBS} <= {r.getMessage() for r in caplog.records}
    assert "scheduler stopped" in caplog.text
    assert signal.getsignal(signal.SIGTERM) is before


# --- Two schedulers at once ------------------------------------------------------------


@pytest.fixture
def _audit_triggers_back_after_flush(django_db_blocker):
    """Set up before the transactional database, so torn down after its flush. The
    flush also empties what the data migrations put in (the standard roles, the shipped
    risk instruments), which every later test relies on: put them back too."""
    yield
    with django_db_blocker.unblock():
        triggers_up()
        _restore_migrated_data()


def _restore_migrated_data() -> None:
    from importlib import import_module

    from django.apps import apps

    from birge.risk.services import instruments_load_shipped

    import_module("birge.agencies.migrations.0002_standard_roles").create_roles(apps, None)
    instruments_load_shipped()


@pytest.fixture
def committed_db(_audit_triggers_back_after_flush, transactional_db):
    """A database whose rows other connections see. pytest-django empties it afterwards
    with TRUNCATE (PostgreSQL) or DELETE (SQLite), which the audit log's append-only
    triggers refuse: drop them just before that flush; they come back after it."""
    yield
    triggers_down()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once need PostgreSQL: the test database of SQLite is a "
    "shared-cache in-memory one, whose table locks fail at once instead of waiting",
)
def test_two_schedulers_at_once_notify_exactly_once_per_event(committed_db, officer, monkeypatch):
    # Small batches, so that the two passes interleave rather than one taking everything.
    monkeypatch.setattr("birge.jobs.deadlines.BATCH", 4)
    shelter = AgencyFactory(code="shelter-baku", kind="shelter_ngo")
    body = AgencyFactory(code="coordination", kind="coordinating_body")
    UserFactory(username="shelter_worker", agency=shelter, roles=["frontline_officer"])
    UserFactory(username="shelter_lead", agency=shelter, roles=["agency_lead"])
    UserFactory(username="national_lead", agency=body, roles=["agency_lead"])
    service = Service.objects.create(
        agency=shelter, kind="shelter", name_az="S", name_ru="S", name_en="S"
    )
    case = register_case(officer)
    referrals = [
        make_referral(case=case, service=service, by=officer, sent_at=T0 + timedelta(minutes=i))
        for i in range(40)
    ]
    moment = T0 + timedelta(days=3)
    start = threading.Barrier(2)
    counts, errors = [], []

    def scheduler():
        try:
            start.wait()
            counts.append(referral_deadlines(moment))
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
    assert sum(counts) == 3 * len(referrals)
    # Each event: the reminder to two people, escalation to one, national to one.
    notifications = Notification.objects.filter(kind__startswith="referral.")
    assert notifications.count() == 4 * len(referrals)
    for referral in referrals:
        for key, people in [("reminded_at", 2), ("escalated_at", 1), ("escalated_national_at", 1)]:
            assert (
                notifications.filter(dedupe_key=f"referral:{referral.pk}:{key}").count() == people
            )
    assert AuditEvent.objects.filter(object_type="referral").count() == 3 * len(referrals)
