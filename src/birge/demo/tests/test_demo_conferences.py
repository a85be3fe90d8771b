"""The demo's risk conferences: a chair finds a queue of high-risk cases, the minutes of
the last meeting, an overdue action that escalates, a repeat back in the queue, and a
next meeting whose agenda is hers to build."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from birge.agencies.models import User
from birge.audit.models import AuditEvent
from birge.cases.models import CircleMember
from birge.conferences import services
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchNote,
)
from birge.demo import conferences, data, synthetic
from birge.demo.conferences import QUEUE_CAP, conferences_load
from birge.demo.services import demo_load
from birge.jobs.conferences import conference_action_deadlines
from birge.notifications.models import Notification

Outcome = AgendaItem.Outcome
RStatus = ConferenceReferral.Status
AStatus = ConferenceAction.Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    """What `make demo` builds: the default 300 cases, then the conferences."""
    demo_load()
    synthetic.cases_generate(total=300, batch_size=100)
    began = time.monotonic()
    summaries = conferences_load()
    return summaries, time.monotonic() - began


@pytest.fixture
def baku(demo):
    return ConferenceSeries.objects.get(code="baku-marac")


@pytest.fixture
def last_meeting(baku):
    return baku.meetings.get(status=Meeting.Status.CLOSED)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_conferences_are_built_quickly(demo):
    _summaries, seconds = demo
    assert seconds < 5


def test_baku_and_ganja_have_a_conference_chaired_by_the_coordinating_body(baku):
    ganja = ConferenceSeries.objects.get(code="ganja-marac")
    for series in (baku, ganja):
        assert series.chair.username == "chair"
        assert series.quorum == 3
        assert series.cadence == "monthly"
        assert all(series.confidentiality(language) for language in ("az", "ru", "en"))
        assert "Məişət zorakılığının qarşısının alınması haqqında" in series.legal_basis
    assert set(baku.members.values_list("code", flat=True)) == {
        "scfwca",
        "police-baku",
        "mlspp-baku",
        "shelter-baku",
    }
    assert baku.adult_women_population == 850_000
    assert AuditEvent.objects.filter(action="conference.series_created").count() == 2


def test_the_queue_holds_open_high_risk_cases_of_the_area(baku):
    queue = list(baku.referrals.filter(status=RStatus.QUEUED).select_related("case__region"))

    assert 5 <= len(queue) <= QUEUE_CAP
    assert {r.case.region.code for r in queue} == {"baku"}
    assert {r.risk_level for r in queue} <= {"high", "critical"}
    assert {r.case.status for r in queue} == {"open"}
    # Referred since the last meeting, except the case it deferred.
    deferred = AgendaItem.objects.get(meeting__series=baku, outcome=Outcome.DEFERRED)
    assert all(r.referred_at <= timezone.now() for r in queue)
    assert deferred.referral in queue
    assert min(queue, key=lambda r: r.referred_at) == deferred.referral
    # Each waiting case is marked as waiting, when it was referred.
    for referral in queue:
        assert referral.case.conference_queued_at is not None


def test_the_last_meeting_was_closed_with_its_minutes(last_meeting):
    days_ago = (timezone.localdate() - timezone.localtime(last_meeting.starts_at).date()).days
    items = list(last_meeting.items.all())

    assert 30 <= days_ago <= 40
    assert [i.outcome for i in items].count(Outcome.HEARD) == 3
    assert [i.outcome for i in items].count(Outcome.DEFERRED) == 1
    assert services.quorum_reached(last_meeting)
    present = set(
        Attendance.objects.filter(meeting=last_meeting).values_list("agency__code", flat=True)
    )
    assert present == {"scfwca", "police-baku", "mlspp-baku", "shelter-baku"}
    assert {n.agency.code for n in ResearchNote.objects.filter(item__meeting=last_meeting)} == {
        "police-baku",
        "mlspp-baku",
        "shelter-baku",
    }
    for item in items:
        if item.outcome == Outcome.HEARD:
            assert item.summary and item.victim_view and item.risks
            assert item.referral.status == RStatus.HEARD
            assert item.referral.heard_at == last_meeting.starts_at
            # The attending agencies joined the case's circle for the conference.
            joined = CircleMember.objects.filter(
                case_id=item.case_id, route=CircleMember.Route.CONFERENCE
            ).values_list("agency__code", flat=True)
            assert set(joined) <= present and joined
    assert last_meeting.opened_at < last_meeting.starts_at < last_meeting.closed_at


def test_the_meetings_actions_have_named_persons_and_every_state(last_meeting):
    actions = list(ConferenceAction.objects.filter(item__meeting=last_meeting))
    today = timezone.localdate()

    assert all(a.person_id and a.person.agency_id == a.agency_id for a in actions)
    done = [a for a in actions if a.status == AStatus.DONE]
    assert sorted(services.action_on_time(a) for a in done) == [False, True]
    assert all(a.completed_at < timezone.now() - timedelta(days=7) for a in done)
    open_ = [a for a in actions if a.status == AStatus.OPEN]
    assert len([a for a in open_ if a.due_on < today]) == 1
    assert len([a for a in open_ if a.due_on > today]) == 1


def test_the_overdue_action_escalates_once_when_the_job_runs(last_meeting):
    overdue = ConferenceAction.objects.get(
        item__meeting=last_meeting, status=AStatus.OPEN, due_on__lt=timezone.localdate()
    )
    assert overdue.reminded_at is not None and overdue.escalated_at is None
    # Its reminder went out before the due date, and was read.
    reminder = Notification.objects.get(kind="conference.action_reminder")
    assert reminder.recipient == overdue.person and reminder.read_at is not None

    assert conference_action_deadlines() == 1
    assert conference_action_deadlines() == 0

    overdue.refresh_from_db()
    assert overdue.escalated_at is not None
    told = Notification.objects.filter(kind="conference.action_overdue", read_at__isnull=True)
    assert {n.recipient.username for n in told} == {"police.lead", "chair"}


def test_a_heard_case_with_a_new_incident_is_back_in_the_queue_as_a_repeat(baku, last_meeting):
    repeat = baku.referrals.get(criterion="repeat")

    assert repeat.status == RStatus.QUEUED and repeat.is_repeat
    assert repeat.previous.heard_meeting == last_meeting
    assert repeat.case_id == repeat.previous.case_id
    assert Notification.objects.get(kind="conference.repeat_queued", read_at__isnull=True)


def test_the_next_meeting_waits_for_the_chair_to_build_its_agenda(baku):
    meeting = baku.meetings.get(status=Meeting.Status.PLANNED)
    days_ahead = (timezone.localtime(meeting.starts_at).date() - timezone.localdate()).days

    assert days_ahead == 5
    assert not meeting.items.exists()

    waiting = baku.referrals.filter(status=RStatus.QUEUED).count()

    items = services.agenda_build(actor=_user("chair"), meeting=meeting)

    # Three hours at fifteen minutes a case, critical cases first.
    assert len(items) == min(waiting, 12)
    assert items[0].referral.risk_level == "critical"


def test_the_history_is_read_and_the_news_is_not(demo):
    chair = _user("chair")
    unread = Notification.objects.filter(recipient=chair, read_at__isnull=True)

    assert set(unread.values_list("kind", flat=True)) == {
        "conference.queued",
        "conference.repeat_queued",
    }
    assert not Notification.objects.filter(
        kind__in=["conference.agenda", "conference.action_assigned", "conference.action_done"],
        read_at__isnull=True,
    ).exists()


def test_what_the_meeting_heard_stays_out_of_the_log(demo):
    logged = " ".join(str(event.content()) for event in AuditEvent.objects.all())

    assert "boğmağa" not in logged and "strangle" not in logged
    assert "mühafizə orderi" not in logged and "protection order" not in logged
    assert not {last for _u, _f, last, _a, _r in data.USERS} & set(logged.split())


def test_loading_again_changes_nothing(demo):
    counts = (
        ConferenceSeries.objects.count(),
        ConferenceReferral.objects.count(),
        Meeting.objects.count(),
        ConferenceAction.objects.count(),
    )
    events = AuditEvent.objects.count()

    conferences_load()

    assert counts == (
        ConferenceSeries.objects.count(),
        ConferenceReferral.objects.count(),
        Meeting.objects.count(),
        ConferenceAction.objects.count(),
    )
    assert AuditEvent.objects.count() == events


def test_without_cases_the_conferences_wait_and_cases_added_later_fill_them(db):
    demo_load()

    summaries = conferences_load()

    assert [s.queued for s in summaries] == [0, 0]
    assert Meeting.objects.get().status == Meeting.Status.PLANNED

    synthetic.cases_generate(total=300, batch_size=100)
    summaries = conferences_load()

    assert summaries[0].queued >= 5 and summaries[0].heard == 3 and summaries[0].overdue == 1
    assert Meeting.objects.filter(status=Meeting.Status.PLANNED).count() == 1


def test_what_the_demos_people_wrote_reads_in_the_demos_language(baku, last_meeting):
    """Azerbaijani, the demo's language: no English inside an Azerbaijani screen."""
    actions = ConferenceAction.objects.filter(item__meeting=last_meeting)
    written = [
        last_meeting.place,
        *(m.place for m in baku.meetings.all()),
        baku.legal_basis,
        *(a.text for a in actions),
        *(a.note for a in actions if a.status == AStatus.DONE),
        *(n.text for n in ResearchNote.objects.filter(item__meeting=last_meeting)),
        *(i.summary for i in last_meeting.items.exclude(summary="")),
    ]

    assert last_meeting.place == "Konfrans zalı, Dövlət Komitəsi (Bakı)"
    assert all(written)
    for text in written:
        assert not {"the", "and", "her", "Conference"} & set(text.replace(";", " ").split()), text


@pytest.mark.parametrize(("language", "place"), [("ru", "Конференц-зал"), ("en", "Conference")])
def test_a_demo_in_another_language_writes_in_it(settings, language, place):
    settings.LANGUAGE_CODE = language

    assert data.in_demo_language(conferences.PLACE).startswith(place)
    assert (
        data.in_demo_language(conferences.ACTIONS[0].text)
        == conferences.ACTIONS[0].text[("az", "ru", "en").index(language)]
    )
