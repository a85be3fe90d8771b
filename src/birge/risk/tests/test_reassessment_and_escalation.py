"""Reassessment falls due by level and overdue cases appear on the coordinator's list;
a new incident, the Nth incident within 12 months and a rising level escalate (the next
assessment is due at once, the coordinator is told, once a day per trigger)."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.cases.tests.factories import IncidentDataFactory, register_case
from birge.notifications.models import Notification
from birge.risk import services as risk_services

LIST = "/risk/reassessments/"


def _listed(client, case) -> bool:
    response = client.get(LIST)
    assert response.status_code == 200
    return case.reference in unescape(response.content.decode())


def _incident(actor, case, days_ago: int = 0, **data):
    occurred_on = timezone.localdate() - timedelta(days=days_ago)
    return case_services.incident_record(
        actor=actor, case=case, data=IncidentDataFactory(occurred_on=occurred_on, **data)
    )


def _escalations(case, trigger: str):
    return AuditEvent.objects.filter(
        action="case.escalated", object_id=str(case.pk), data__trigger=trigger
    )


def _told(user, trigger: str):
    return Notification.objects.filter(recipient=user, kind=f"case.escalated.{trigger}")


@pytest.fixture
def now(time_machine):
    """The clock stands still at a fixed moment, so that due dates can be compared."""
    time_machine.move_to(timezone.now().replace(hour=10, minute=0, second=0), tick=False)
    return timezone.now


# --- Reassessment -----------------------------------------------------------------------


def test_an_overdue_reassessment_appears_on_the_coordinators_list(
    browse, coordinator, officer, case, assess, now, time_machine
):
    assess(officer, case)
    case.refresh_from_db()
    assert case.reassessment_due_at == now() + timedelta(days=60)
    assert not _listed(browse(coordinator), case)

    time_machine.shift(timedelta(days=59, hours=23))
    assert not _listed(browse(coordinator), case)

    time_machine.shift(timedelta(hours=2))
    assert _listed(browse(coordinator), case)
    page = unescape(browse(coordinator).get(f"/cases/{case.pk}/").content.decode())
    assert "overdue" in page


def test_the_outsider_never_sees_another_agencys_overdue_case(
    browse, outsider, officer, case, assess, now, time_machine
):
    assess(officer, case, "threat_to_kill")
    time_machine.shift(timedelta(days=8))

    assert not _listed(browse(outsider), case)


def test_a_closed_case_is_not_on_the_list(
    browse, coordinator, officer, case, assess, now, time_machine
):
    assess(officer, case, "threat_to_kill")
    case.refresh_from_db()
    case_services.case_close(actor=coordinator, case=case, reason="She moved abroad, safe.")
    time_machine.shift(timedelta(days=8))

    assert not _listed(browse(coordinator), case)


def test_analysts_and_leads_without_cases_do_not_get_the_list(browse, analyst):
    assert browse(analyst).get(LIST).status_code == 404


def test_a_reassessment_puts_the_due_date_forward_again(
    browse, coordinator, officer, case, assess, now, time_machine
):
    assess(officer, case, "threat_to_kill")
    time_machine.shift(timedelta(days=8))
    assert _listed(browse(coordinator), case)

    assess(officer, case, "threat_to_kill")

    case.refresh_from_db()
    assert case.reassessment_due_at == now() + timedelta(days=7)
    assert not _listed(browse(coordinator), case)


# --- Escalation by incidents --------------------------------------------------------------


def test_registering_a_case_with_its_first_incident_does_not_escalate(officer, coordinator, now):
    case = register_case(officer)

    assert case.reassessment_due_at is None
    assert not AuditEvent.objects.filter(action="case.escalated").exists()
    assert not Notification.objects.filter(kind__startswith="case.escalated").exists()


def test_a_new_incident_makes_the_reassessment_due_at_once_and_tells_the_coordinator(
    browse, officer, coordinator, colleague, case, assess, now, time_machine
):
    assess(officer, case)
    case.refresh_from_db()
    time_machine.shift(timedelta(hours=1))

    _incident(officer, case, days_ago=0)

    case.refresh_from_db()
    assert case.reassessment_due_at == now()
    assert [
        n.recipient for n in Notification.objects.filter(kind="case.escalated.new_incident")
    ] == [coordinator]
    assert _told(coordinator, "new_incident").get().url == f"/cases/{case.pk}/"
    assert _escalations(case, "new_incident").count() == 1
    time_machine.shift(timedelta(minutes=1))
    assert _listed(browse(coordinator), case)


def test_the_coordinator_is_told_once_a_day_per_trigger(
    officer, coordinator, case, now, time_machine
):
    _incident(officer, case, days_ago=0)
    _incident(officer, case, days_ago=0, place="Nəsimi rayonu, küçədə")
    assert _told(coordinator, "new_incident").count() == 1

    time_machine.shift(timedelta(days=1))
    _incident(officer, case, days_ago=0)

    assert _told(coordinator, "new_incident").count() == 2


def test_the_third_incident_within_twelve_months_queues_the_case_for_the_conference(
    officer, coordinator, case, now
):
    _incident(officer, case, days_ago=2)
    case.refresh_from_db()
    assert case.conference_queued_at is None
    assert not _told(coordinator, "repeated_incidents").exists()

    _incident(officer, case, days_ago=1)

    case.refresh_from_db()
    assert case.conference_queued_at == now()
    assert _told(coordinator, "repeated_incidents").count() == 1
    assert _escalations(case, "repeated_incidents").count() == 1


def test_a_fourth_incident_does_not_queue_the_case_twice(officer, coordinator, case, now):
    _incident(officer, case, days_ago=2)
    _incident(officer, case, days_ago=1)

    _incident(officer, case, days_ago=0)

    assert (
        AuditEvent.objects.filter(action="case.conference_queued", object_id=str(case.pk)).count()
        == 1
    )


def test_the_number_of_incidents_that_escalates_follows_the_setting(
    officer, coordinator, case, settings, now
):
    settings.BIRGE_ESCALATION_INCIDENTS = 4
    _incident(officer, case, days_ago=2)
    _incident(officer, case, days_ago=1)
    case.refresh_from_db()
    assert case.conference_queued_at is None

    _incident(officer, case, days_ago=0)

    case.refresh_from_db()
    assert case.conference_queued_at == now()


@pytest.mark.parametrize(
    ("first_days_before_last", "queued"),
    [(200, True), (364, True), (365, False), (366, False), (500, False)],
)
def test_three_incidents_count_only_within_twelve_months(
    officer, coordinator, now, first_days_before_last, queued
):
    case = register_case(
        officer,
        incident={"occurred_on": timezone.localdate() - timedelta(days=first_days_before_last)},
    )
    _incident(officer, case, days_ago=100)

    _incident(officer, case, days_ago=0)

    case.refresh_from_db()
    assert (case.conference_queued_at is not None) is queued
    assert _escalations(case, "repeated_incidents").exists() is queued
    # Every new incident escalates, whether or not it is the third in a year.
    assert _escalations(case, "new_incident").count() == 2


def test_an_old_incident_recorded_late_does_not_make_three_within_twelve_months(
    officer, coordinator, now
):
    """Incidents 600 and 200 days ago and one this week are not three in 12 months, in
    whichever order they are recorded."""
    case = register_case(
        officer, incident={"occurred_on": timezone.localdate() - timedelta(days=3)}
    )
    _incident(officer, case, days_ago=200)

    _incident(officer, case, days_ago=600)

    case.refresh_from_db()
    assert case.conference_queued_at is None
    assert not _escalations(case, "repeated_incidents").exists()


def test_an_old_incident_recorded_late_counts_when_it_is_within_twelve_months(
    officer, coordinator, now
):
    case = register_case(
        officer, incident={"occurred_on": timezone.localdate() - timedelta(days=3)}
    )
    _incident(officer, case, days_ago=300)

    _incident(officer, case, days_ago=150)

    case.refresh_from_db()
    assert case.conference_queued_at == now()


# --- Escalation by a rising level -----------------------------------------------------------


def test_a_level_rising_from_standard_to_high_escalates_though_the_score_is_the_same(
    officer, coordinator, case, assess, now, time_machine
):
    assess(officer, case, "injury")  # standard, score 1
    time_machine.shift(timedelta(days=1))

    assess(officer, case, "threat_to_kill")  # high on a critical item, score 1

    assert _escalations(case, "rising_level").count() == 1
    assert _told(coordinator, "rising_level").count() == 1
    # The assessment just made is the reassessment: the next one falls due by its level.
    case.refresh_from_db()
    assert case.reassessment_due_at == now() + timedelta(days=7)


def test_a_higher_count_at_a_lower_level_does_not_escalate(
    officer, coordinator, case, assess, now, time_machine
):
    """High (one critical item, score 1), then standard on three items (score 3): the
    count rose, the level did not; it fell (and waits for a second opinion)."""
    assess(officer, case, "threat_to_kill")
    time_machine.shift(timedelta(days=1))

    assess(officer, case, "injury", "stalking", "isolation")

    assert not _escalations(case, "rising_level").exists()
    assert not _told(coordinator, "rising_level").exists()


@pytest.mark.parametrize(
    "second",
    [("injury", "stalking", "isolation"), ("injury",), ()],
    ids=["higher score", "same score", "lower score"],
)
def test_the_same_level_does_not_escalate_whatever_the_score(
    officer, coordinator, case, assess, now, time_machine, second
):
    assess(officer, case, "injury")
    time_machine.shift(timedelta(days=1))

    assess(officer, case, *second)  # standard again

    assert not _escalations(case, "rising_level").exists()
    assert not _told(coordinator, "rising_level").exists()


def test_a_level_raised_by_professional_judgement_alone_escalates(
    officer, coordinator, case, assess, now, time_machine
):
    assess(officer, case, "injury")
    time_machine.shift(timedelta(days=1))

    risk_services.assessment_judgement(
        actor=officer, case=case, level="critical", reason="He bought a gun yesterday."
    )

    assert _escalations(case, "rising_level").count() == 1
    assert _told(coordinator, "rising_level").count() == 1


def test_the_first_assessment_does_not_count_as_a_rising_level(officer, coordinator, case, assess):
    assess(officer, case, *("injury", "stalking", "isolation", "weapon"))

    assert not _escalations(case, "rising_level").exists()


def test_a_higher_level_in_a_draft_does_not_escalate(officer, coordinator, case, assess):
    assess(officer, case, "injury")

    assess(officer, case, "threat_to_kill", submit=False)

    assert not _escalations(case, "rising_level").exists()
