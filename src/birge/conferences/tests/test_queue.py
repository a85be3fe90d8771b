"""How a case reaches the conference's queue, and leaves it: the four entry criteria
(risk, professional judgement, potential escalation, repeat) through the services that
raise them, the 12-month repeat rule at its edges with a moved clock, a case waiting once
per series, an area without a conference, and the chair taking a case out of the queue.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.cases.tests.factories import IncidentDataFactory, register_case
from birge.conferences import services
from birge.conferences.models import ConferenceReferral, ConferenceSeries
from birge.conferences.services.queue import add_twelve_months
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion, RiskAssessment

BAKU = ZoneInfo("Asia/Baku")
# The day a meeting of the series hears the case (well after the test's real "now").
HEARD = datetime(2027, 3, 10, 10, 0, tzinfo=BAKU)
REASON = "She says he bought a hunting rifle last week and keeps it in the car."
TEN_ORDINARY = (
    "injury",
    "sexual_violence",
    "more_frequent",
    "getting_worse",
    "criminal_history",
    "control_jealousy",
    "stalking",
    "isolation",
    "financial_control",
    "harm_to_animals",
)
YES_FOR = {
    "standard": (),
    "medium": TEN_ORDINARY,
    "high": ("threat_to_kill",),
    "critical": ("threat_to_kill",),
}
# The victim and the perpetrator of `pair_case`, as a second registration would type them.
HER = {"first_name": "Nigar", "last_name": "Abbasova", "birth_date": date(1991, 4, 12)}
HIM = {"first_name": "Fuad", "last_name": "Abbasov", "birth_date": date(1987, 9, 3)}
SOMEONE_ELSE = {"first_name": "Emin", "last_name": "Səfərov", "birth_date": date(1979, 1, 20)}


def assess(user, case, level: str) -> RiskAssessment:
    """A submitted checklist assessment at `level` (critical: high raised by judgement)."""
    checklist = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    yes = YES_FOR[level]
    answers = {i.id: "yes" if i.id in yes else "no" for i in checklist.instrument.items}
    assessment = risk_services.assessment_draft_save(
        actor=user, case=case, instrument_version=checklist, answers=answers
    )
    risk_services.assessment_submit(
        actor=user,
        assessment=assessment,
        final_level="critical" if level == "critical" else "",
        judgement_reason="He is outside her door with a knife now." if level == "critical" else "",
    )
    assessment.refresh_from_db()
    case.refresh_from_db()
    assert assessment.final_level == level
    return assessment


def record_incident(user, case, occurred_on: date):
    return case_services.incident_record(
        actor=user, case=case, data=IncidentDataFactory(occurred_on=occurred_on)
    )


def referrals_of(case) -> list[ConferenceReferral]:
    return list(ConferenceReferral.objects.filter(case=case).order_by("id"))


def hear(time_machine, *, chair, attendees, referral, at: datetime) -> ConferenceReferral:
    """Drive a real meeting of the referral's series through the services: planned two
    days before `at`, then at `at` opened, attended, the case discussed, closed."""
    time_machine.move_to(at - timedelta(days=2), tick=False)
    meeting = services.meeting_plan(actor=chair, series=referral.series, starts_at=at)
    item = services.agenda_add(actor=chair, meeting=meeting, referral=referral)
    time_machine.move_to(at, tick=False)
    services.meeting_open(actor=chair, meeting=meeting)
    for user in attendees:
        services.meeting_attend(actor=user, meeting=meeting, accept=True, language="en")
    services.item_discuss(
        actor=chair,
        item=item,
        summary="Threats to kill; he has access to a rifle.",
        victim_view="She wants to stay with her sister for now.",
        risks="Serious harm at the handover of the children.",
    )
    services.meeting_close(actor=chair, meeting=meeting)
    referral.refresh_from_db()
    return referral


@pytest.fixture
def pair_case(series, officer, coordinator):
    """Agency A's case of Nigar and Fuad, assessed at high risk: in the series' queue."""
    registered = register_case(officer, victim=dict(HER), perpetrator=dict(HIM))
    assess(officer, registered, "high")
    return registered


@pytest.fixture
def heard(time_machine, pair_case, chair, coordinator, social_worker):
    """`pair_case`'s referral, heard at a meeting on HEARD."""
    return hear(
        time_machine,
        chair=chair,
        attendees=[chair, coordinator, social_worker],
        referral=ConferenceReferral.objects.get(case=pair_case),
        at=HEARD,
    )


# --- Risk -------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["high", "critical"])
def test_high_and_critical_risk_queue_the_case_with_its_assessment(series, officer, case, level):
    assessment = assess(officer, case, level)

    referral = ConferenceReferral.objects.get(case=case)
    assert referral.series == series
    assert referral.criterion == "risk"
    assert referral.status == ConferenceReferral.Status.QUEUED
    # Nobody asks for the assessment or the level a second time.
    assert referral.risk_assessment == assessment
    assert referral.risk_level == level
    assert case.conference_queued_at == referral.referred_at


def test_the_referral_carries_the_latest_submitted_assessment(series, officer, case):
    assess(officer, case, "medium")
    latest = assess(officer, case, "high")

    assert ConferenceReferral.objects.get(case=case).risk_assessment == latest


@pytest.mark.parametrize("level", ["standard", "medium"])
def test_standard_and_medium_risk_do_not_queue_the_case(series, officer, case, level):
    assess(officer, case, level)

    assert referrals_of(case) == []
    assert case.conference_queued_at is None


# --- Professional judgement -------------------------------------------------------------


def test_a_coordinator_refers_a_case_on_her_judgement(series, coordinator, case):
    referral = services.conference_refer(actor=coordinator, case=case, reason=REASON)

    assert referral.criterion == "judgement"
    assert referral.series == series
    assert referral.reason == REASON
    assert referral.referred_by == coordinator
    assert referrals_of(case) == [referral]
    case.refresh_from_db()
    assert case.conference_queued_at == referral.referred_at


@pytest.mark.parametrize("reason", ["", "   ", "Scary"], ids=["empty", "blank", "5-characters"])
def test_a_judgement_referral_needs_a_written_reason(series, coordinator, case, reason):
    with pytest.raises(ValidationError) as error:
        services.conference_refer(actor=coordinator, case=case, reason=reason)

    assert list(error.value.message_dict) == ["reason"]
    assert referrals_of(case) == []


def test_a_case_already_waiting_is_not_referred_again(series, coordinator, case):
    services.conference_refer(actor=coordinator, case=case, reason=REASON)

    with pytest.raises(ValidationError, match="already in the conference's queue"):
        services.conference_refer(actor=coordinator, case=case, reason=REASON + " Again.")

    assert len(referrals_of(case)) == 1


def test_a_user_who_may_not_refer_cannot(series, officer, case):
    with pytest.raises(PermissionDenied):
        services.conference_refer(actor=officer, case=case, reason=REASON)

    assert referrals_of(case) == []


def test_a_case_she_cannot_see_cannot_be_referred(series, ganja_coordinator, case):
    with pytest.raises(PermissionDenied):
        services.conference_refer(actor=ganja_coordinator, case=case, reason=REASON)

    assert referrals_of(case) == []


# --- Potential escalation ---------------------------------------------------------------


def test_the_third_incident_within_twelve_months_queues_the_case(series, officer, case):
    today = timezone.localdate()
    record_incident(officer, case, today - timedelta(days=200))
    assert referrals_of(case) == []

    record_incident(officer, case, today - timedelta(days=1))

    (referral,) = referrals_of(case)
    assert referral.criterion == "escalation"
    assert not referral.is_repeat


def test_incidents_further_apart_than_twelve_months_do_not_queue(series, officer, case):
    # The case's first incident was 3 days ago; these two are more than a year before it.
    record_incident(officer, case, timezone.localdate() - timedelta(days=500))
    record_incident(officer, case, timezone.localdate() - timedelta(days=480))

    assert referrals_of(case) == []


def test_the_number_of_incidents_follows_the_setting(series, officer, case, settings):
    settings.BIRGE_ESCALATION_INCIDENTS = 4
    today = timezone.localdate()
    record_incident(officer, case, today - timedelta(days=100))
    record_incident(officer, case, today - timedelta(days=50))
    assert referrals_of(case) == []

    record_incident(officer, case, today - timedelta(days=1))

    assert [r.criterion for r in referrals_of(case)] == ["escalation"]


# --- Repeat: the 12-month rule ----------------------------------------------------------


def test_hearing_a_case_records_the_meeting_day_and_takes_it_out_of_the_queue(heard):
    assert heard.status == ConferenceReferral.Status.HEARD
    assert heard.heard_at == HEARD
    heard.case.refresh_from_db()
    assert heard.case.conference_queued_at is None


def test_an_incident_on_the_same_day_twelve_months_later_is_a_repeat(time_machine, heard, officer):
    last_day = add_twelve_months(HEARD.date())
    assert last_day == date(2028, 3, 10)
    time_machine.move_to(datetime.combine(last_day, datetime.min.time(), BAKU), tick=False)

    record_incident(officer, heard.case, last_day)

    first, repeat = referrals_of(heard.case)
    assert first == heard
    assert repeat.criterion == "repeat"
    assert repeat.is_repeat
    assert repeat.previous == heard
    assert repeat.status == ConferenceReferral.Status.QUEUED


def test_an_incident_the_day_after_is_not_a_repeat(time_machine, heard, officer):
    day_after = add_twelve_months(HEARD.date()) + timedelta(days=1)
    time_machine.move_to(datetime.combine(day_after, datetime.min.time(), BAKU), tick=False)

    record_incident(officer, heard.case, day_after)

    assert referrals_of(heard.case) == [heard]


def test_an_incident_before_the_hearing_recorded_late_is_not_a_repeat(time_machine, heard, officer):
    time_machine.move_to(HEARD + timedelta(days=30), tick=False)

    record_incident(officer, heard.case, HEARD.date() - timedelta(days=1))

    assert referrals_of(heard.case) == [heard]


def test_an_incident_on_the_hearing_day_is_a_repeat(time_machine, heard, officer):
    time_machine.move_to(HEARD + timedelta(hours=6), tick=False)

    record_incident(officer, heard.case, HEARD.date())

    assert [r.criterion for r in referrals_of(heard.case)] == ["risk", "repeat"]


def test_twelve_months_after_the_29th_of_february_is_the_28th():
    assert add_twelve_months(date(2028, 2, 29)) == date(2029, 2, 28)
    assert add_twelve_months(date(2027, 3, 10)) == date(2028, 3, 10)


def test_a_new_case_of_the_same_victim_and_perpetrator_is_a_repeat(time_machine, heard, colleague):
    time_machine.move_to(HEARD + timedelta(days=100), tick=False)

    new_case = register_case(
        colleague,
        victim=dict(HER),
        perpetrator=dict(HIM),
        incident={"occurred_on": (HEARD + timedelta(days=99)).date()},
    )

    (repeat,) = referrals_of(new_case)
    assert repeat.criterion == "repeat"
    assert repeat.is_repeat
    assert repeat.previous == heard
    assert repeat.series == heard.series


def test_a_new_incident_in_a_new_case_of_the_same_pair_is_a_repeat(time_machine, heard, colleague):
    # Registered with an incident from before the hearing (told late), then a new one.
    time_machine.move_to(HEARD + timedelta(days=100), tick=False)
    new_case = register_case(
        colleague,
        victim=dict(HER),
        perpetrator=dict(HIM),
        incident={"occurred_on": (HEARD - timedelta(days=20)).date()},
    )
    assert referrals_of(new_case) == []

    record_incident(colleague, new_case, (HEARD + timedelta(days=99)).date())

    (repeat,) = referrals_of(new_case)
    assert (repeat.criterion, repeat.is_repeat, repeat.previous) == ("repeat", True, heard)


def test_a_new_case_of_the_same_victim_with_another_perpetrator_is_not_a_repeat(
    time_machine, heard, colleague
):
    time_machine.move_to(HEARD + timedelta(days=100), tick=False)

    new_case = register_case(
        colleague,
        victim=dict(HER),
        perpetrator=dict(SOMEONE_ELSE),
        incident={"occurred_on": (HEARD + timedelta(days=99)).date()},
    )
    record_incident(colleague, new_case, (HEARD + timedelta(days=100)).date())

    assert referrals_of(new_case) == []


# --- Once per series --------------------------------------------------------------------


def test_a_second_criterion_while_waiting_is_logged_not_queued_twice(queued, officer):
    case = queued.case
    today = timezone.localdate()
    record_incident(officer, case, today - timedelta(days=2))
    record_incident(officer, case, today - timedelta(days=1))

    assert referrals_of(case) == [queued]
    met = AuditEvent.objects.filter(action="conference.criterion_met", object_id=str(case.pk))
    assert [event.data["criterion"] for event in met] == ["escalation"]


def test_a_critical_assessment_while_waiting_keeps_one_referral(queued, officer):
    assess(officer, queued.case, "critical")

    assert referrals_of(queued.case) == [queued]
    assert AuditEvent.objects.filter(
        action="conference.criterion_met", object_id=str(queued.case_id)
    ).exists()


def test_a_repeat_while_waiting_marks_the_waiting_referral(time_machine, heard, officer):
    case = heard.case
    time_machine.move_to(HEARD + timedelta(days=40), tick=False)
    assess(officer, case, "critical")
    waiting = referrals_of(case)[-1]
    assert (waiting.criterion, waiting.is_repeat) == ("risk", False)

    record_incident(officer, case, (HEARD + timedelta(days=39)).date())

    assert referrals_of(case) == [heard, waiting]
    waiting.refresh_from_db()
    assert waiting.is_repeat
    assert waiting.previous == heard
    met = AuditEvent.objects.filter(action="conference.criterion_met", object_id=str(case.pk))
    assert [event.data["criterion"] for event in met] == ["repeat"]


# --- No conference in the area ----------------------------------------------------------


def test_without_a_series_the_case_is_only_marked_once(officer, case):
    assess(officer, case, "high")
    marked_at = case.conference_queued_at
    assert marked_at is not None

    assess(officer, case, "critical")

    assert referrals_of(case) == []
    assert case.conference_queued_at == marked_at
    queued = AuditEvent.objects.filter(action="case.conference_queued", object_id=str(case.pk))
    assert queued.count() == 1


def test_without_a_series_a_referral_says_no_conference_covers_the_area(coordinator, case):
    with pytest.raises(ValidationError, match="No risk conference covers this case's area"):
        services.conference_refer(actor=coordinator, case=case, reason=REASON)

    assert referrals_of(case) == []


def test_a_new_series_takes_in_the_cases_its_area_marked_meanwhile(
    officer, admin, chair, police, shelter, case
):
    from birge.agencies.models import Region
    from birge.conferences.services.series import series_save

    assess(officer, case, "high")
    marked_at = case.conference_queued_at
    later = register_case(officer)  # medium risk at most: never marked
    text = "What is said here stays here."

    series = series_save(
        actor=admin,
        data={
            "code": "baku-new",
            "name_az": "Bakı",
            "name_ru": "Баку",
            "name_en": "Baku",
            "region": Region.objects.get(pk=case.region_id),
            "chair": chair,
            "quorum": 2,
            "confidentiality_az": text,
            "confidentiality_ru": text,
            "confidentiality_en": text,
            "legal_basis": "Protocol, section 4",
        },
        members=[police, shelter],
    )

    [referral] = referrals_of(case)
    assert (referral.series, referral.criterion, referral.status) == (series, "risk", "queued")
    assert referral.referred_at == marked_at  # its place in the queue is kept
    assert referrals_of(later) == []
    # Saving the series again takes in nobody twice.
    series_save(actor=admin, data={"quorum": 1}, members=[police, shelter], series=series)
    assert len(referrals_of(case)) == 1


# --- Withdrawal -------------------------------------------------------------------------


def test_the_chair_takes_a_case_out_of_the_queue_saying_why(queued, chair):
    services.conference_withdraw(
        actor=chair, referral=queued, reason="She has moved to Ganja with her mother."
    )

    queued.refresh_from_db()
    assert queued.status == ConferenceReferral.Status.WITHDRAWN
    assert queued.closed_by == chair
    assert queued.close_note == "She has moved to Ganja with her mother."
    queued.case.refresh_from_db()
    assert queued.case.conference_queued_at is None
    assert AuditEvent.objects.filter(
        action="conference.withdrawn", object_id=str(queued.case_id)
    ).exists()


def test_withdrawing_needs_a_reason(queued, chair):
    with pytest.raises(ValidationError) as error:
        services.conference_withdraw(actor=chair, referral=queued, reason="  ")

    assert list(error.value.message_dict) == ["reason"]
    queued.refresh_from_db()
    assert queued.status == ConferenceReferral.Status.QUEUED


def test_only_the_chair_withdraws_a_case(queued, coordinator):
    with pytest.raises(PermissionDenied):
        services.conference_withdraw(
            actor=coordinator, referral=queued, reason="She has moved to Ganja."
        )

    queued.refresh_from_db()
    assert queued.status == ConferenceReferral.Status.QUEUED


def test_a_case_withdrawn_can_be_referred_again(queued, chair, coordinator):
    services.conference_withdraw(actor=chair, referral=queued, reason="Referred too early.")

    again = services.conference_refer(actor=coordinator, case=queued.case, reason=REASON)

    assert again.status == ConferenceReferral.Status.QUEUED
    assert again.pk != queued.pk


def test_a_second_series_with_the_same_code_gets_a_field_error(admin, chair, police, series):
    from birge.conferences.services.series import series_save

    text = "What is said here stays here."
    with pytest.raises(ValidationError) as refused:
        series_save(
            actor=admin,
            data={
                "code": series.code,
                "name_az": "B",
                "name_ru": "B",
                "name_en": "B",
                "region": series.region,
                "chair": chair,
                "quorum": 1,
                "confidentiality_az": text,
                "confidentiality_ru": text,
                "confidentiality_en": text,
                "legal_basis": "Protocol, section 4",
            },
            members=[police],
        )

    assert refused.value.message_dict == {"code": ["Another conference series has this code."]}
    assert ConferenceSeries.objects.filter(code=series.code).count() == 1
