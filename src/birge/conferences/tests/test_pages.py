"""The risk conference through its pages, with the cast: the chair plans a meeting and
builds its agenda from the queue, members research, attendees accept the confidentiality
statement, the chair records the discussion and the actions, the responsible agency
reports an action done; and the case page's conference section."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from birge.audit.models import AuditEvent
from birge.cases.services import case_share
from birge.cases.tests.factories import register_case
from birge.conferences import services
from birge.conferences.models import (
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    Meeting,
    ResearchNote,
)
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion

REASON = "She was threatened with a knife last night and he knows where she is staying now."
ACTION = "Arrange a shelter place for her and the children"


def _url(meeting, item=None, tail="") -> str:
    url = f"/conferences/meetings/{meeting.pk}/"
    return (url + f"items/{item.pk}/" if item else url) + tail


@pytest.fixture
def critical_case(officer, series):
    """Agency A's second case, raised to critical by the officer's judgement: it queues
    behind nothing."""
    checklist = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    critical = register_case(officer, victim={"first_name": "Leyla"})
    answers = {i.id: "yes" if i.id == "weapon" else "no" for i in checklist.instrument.items}
    draft = risk_services.assessment_draft_save(
        actor=officer, case=critical, instrument_version=checklist, answers=answers
    )
    risk_services.assessment_submit(
        actor=officer, assessment=draft, final_level="critical", judgement_reason=REASON
    )
    critical.refresh_from_db()
    return critical


def _discuss(chair, item) -> None:
    services.item_discuss(
        actor=chair,
        item=item,
        summary="Repeated threats; she is staying with her sister.",
        victim_view="She wants him kept away from the children's school.",
        risks="He has a knife and knows the sister's address.",
    )


def test_the_chair_plans_a_meeting_and_builds_its_agenda_critical_first(
    browse, chair, series, queued, critical_case
):
    client = browse(chair)
    high = queued.case
    queue_page = client.get(f"/conferences/series/{series.pk}/").content.decode()
    assert queue_page.index(critical_case.reference) < queue_page.index(high.reference)

    starts = timezone.localtime() + timedelta(days=5)
    response = client.post(
        f"/conferences/series/{series.pk}/meetings/new/",
        {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Room 4"},
    )
    meeting = Meeting.objects.get(series=series)
    assert response.status_code == 302 and response["Location"] == _url(meeting)

    response = client.post(_url(meeting, tail="agenda/build/"), follow=True)

    assert "2 cases from the queue are on the agenda." in response.content.decode()
    assert [i.case_id for i in meeting.items.order_by("position")] == [critical_case.pk, high.pk]
    page = client.get(_url(meeting)).content.decode()
    agenda = page[page.index('id="agenda-h"') :]
    assert agenda.index(critical_case.reference) < agenda.index(high.reference)
    assert "Critical" in agenda and "High" in agenda
    assert ConferenceReferral.objects.filter(series=series, status="listed").count() == 2
    assert AuditEvent.objects.filter(
        action="conference.meeting_viewed", object_id=str(meeting.pk), actor=chair
    ).exists()


def test_a_meeting_in_the_past_is_refused_on_its_field(browse, chair, series):
    starts = timezone.localtime() - timedelta(days=1)

    response = browse(chair).post(
        f"/conferences/series/{series.pk}/meetings/new/",
        {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Room 4"},
    )

    assert response.status_code == 400
    assert "A meeting is planned for a time still to come." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_member_sees_the_research_brief_and_adds_research(
    browse, social_worker, social, meeting, item
):
    client = browse(social_worker)
    page = client.get(_url(meeting, item)).content.decode()
    assert "Aysel" in page  # the victim, for the agency to look up in its own records
    assert 'action="' + _url(meeting, item, "research/") + '"' in page

    response = client.post(
        _url(meeting, item, "research/"),
        {"topic": "children", "text": "Two children known to our Yasamal office since 2023."},
    )

    assert response.status_code == 302
    note = ResearchNote.objects.get(item=item)
    assert (note.agency, note.author, note.topic) == (social, social_worker, "children")
    assert (
        "Two children known to our Yasamal office"
        in client.get(_url(meeting, item)).content.decode()
    )


def test_research_without_text_keeps_the_topic_and_says_what_is_missing(
    browse, social_worker, meeting, item
):
    response = browse(social_worker).post(
        _url(meeting, item, "research/"), {"topic": "health", "text": "   "}
    )

    assert response.status_code == 400
    assert '<option value="health" selected>' in response.content.decode()
    assert not ResearchNote.objects.exists()


def test_the_attend_form_records_attendance_once(browse, chair, social_worker, meeting):
    browse(chair).post(_url(meeting, tail="open/"))
    client = browse(social_worker)
    page = client.get(_url(meeting)).content.decode()
    assert "What is said here stays here" in page

    unaccepted = client.post(_url(meeting, tail="attend/"), {})
    assert unaccepted.status_code == 400
    assert (
        "Accept the confidentiality statement to attend the meeting." in unaccepted.content.decode()
    )
    assert not Attendance.objects.filter(user=social_worker).exists()

    client.post(_url(meeting, tail="attend/"), {"accept": "on"})
    again = client.post(_url(meeting, tail="attend/"), {"accept": "on"}, follow=True)

    attendance = Attendance.objects.get(meeting=meeting, user=social_worker)
    assert attendance.statement_language == "en"
    assert "You already accepted the confidentiality statement" in again.content.decode()
    assert "What is said here stays here" not in again.content.decode()


def test_the_chair_records_the_discussion_and_an_action_through_the_item_page(
    browse, chair, social, social_worker, in_session, item
):
    client = browse(chair)
    response = client.post(
        _url(in_session, item, "discussion/"),
        {
            "summary": "Repeated threats; she is staying with her sister.",
            "victim_view": "She wants him kept away from the children's school.",
            "risks": "He has a knife.",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "heard" and item.summary.startswith("Repeated threats")

    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        _url(in_session, item, "actions/new/"),
        {
            "text": ACTION,
            "agency": social.pk,
            "person": social_worker.pk,
            "due_on": due.isoformat(),
            "concerns": ["victim", "children"],
        },
    )

    assert response.status_code == 302
    action = ConferenceAction.objects.get(item=item)
    assert (action.agency, action.person, action.due_on) == (social, social_worker, due)
    assert action.concerns == ["children", "victim"]
    page = client.get(_url(in_session, item)).content.decode()
    assert ACTION in page and "Protects the children, Protects the victim" in page


def test_an_action_without_agency_and_with_a_past_date_gets_field_errors(
    browse, chair, in_session, item
):
    _discuss(in_session.series.chair, item)

    response = browse(chair).post(
        _url(in_session, item, "actions/new/"),
        {
            "text": ACTION,
            "agency": "",
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "concerns": ["victim"],
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the agency responsible for the action." in page
    assert "The due date is in the past: give today or a later date." in page
    assert ACTION in page  # what she typed is still there
    assert not ConferenceAction.objects.exists()


def test_closing_with_an_action_nobody_is_named_for_is_refused_with_the_reason(
    browse, chair, social, in_session, item
):
    _discuss(chair, item)
    services.action_add(
        actor=chair,
        item=item,
        text=ACTION,
        agency=social,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim"],
    )

    response = browse(chair).post(
        _url(in_session, tail="close/"), {"version": in_session.version}, follow=True
    )

    assert response.redirect_chain == [(_url(in_session), 302)]
    assert "1 action has no named person responsible: name one first." in (
        response.content.decode()
    )
    in_session.refresh_from_db()
    assert in_session.status == Meeting.Status.IN_SESSION


def test_the_responsible_person_completes_an_action_on_its_page(
    browse, chair, social, social_worker, in_session, item
):
    _discuss(chair, item)
    action = services.action_add(
        actor=chair,
        item=item,
        text=ACTION,
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim"],
    )
    client = browse(social_worker)
    assert (
        f"/conferences/actions/{action.pk}/" in client.get("/conferences/actions/").content.decode()
    )
    page = client.get(f"/conferences/actions/{action.pk}/").content.decode()
    assert f'action="/conferences/actions/{action.pk}/complete/"' in page

    response = client.post(
        f"/conferences/actions/{action.pk}/complete/",
        {"note": "A place at the Baku shelter from today.", "version": action.version},
        follow=True,
    )

    action.refresh_from_db()
    assert action.status == ConferenceAction.Status.DONE
    assert action.completed_by == social_worker
    assert "The action is done." in response.content.decode()
    assert "A place at the Baku shelter from today." in response.content.decode()


def test_attendees_read_the_research_of_others_and_it_is_recorded(
    browse, coordinator, social_worker, in_session, item
):
    services.research_add(
        actor=social_worker, item=item, topic="health", text="Seen at the polyclinic twice."
    )

    page = browse(coordinator).get(_url(in_session, item)).content.decode()

    assert "Seen at the polyclinic twice." in page
    event = AuditEvent.objects.get(action="conference.research_viewed", actor=coordinator)
    assert event.object_id == str(item.case_id)
    assert event.data == {"meeting": in_session.pk, "item": item.pk, "channel": "page"}


def test_reading_the_research_brief_before_the_meeting_is_recorded(browse, officer, meeting, item):
    """The brief names the victim, the perpetrator and the children: a member's reading
    of it is logged even when no research is there yet."""
    from birge.agencies.tests.factories import UserFactory

    member = UserFactory(username="police_rep", agency=officer.agency, roles=["conference_member"])

    page = browse(member).get(_url(meeting, item))

    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action="conference.research_viewed", actor=member, object_id=str(item.case_id)
    ).exists()


def test_bad_ids_in_post_fields_are_field_errors_not_server_errors(browse, chair, meeting, item):
    client = browse(chair)

    oversized = client.post(_url(meeting, tail="agenda/add/"), {"referral": "9" * 30})
    words = client.post(
        _url(meeting, tail="agenda/arrange/"),
        {f"position-{item.pk}": "first", f"minutes-{item.pk}": "15"},
    )

    assert oversized.status_code == 400
    assert "Select a valid choice" in oversized.content.decode()
    assert words.status_code == 400
    assert "Enter a whole number." in words.content.decode()
    item.refresh_from_db()
    assert item.position == 1


def test_the_case_page_shows_the_conference_and_refers_on_judgement(
    browse, coordinator, case, series
):
    client = browse(coordinator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "The case is not in the risk conference's queue." in page
    assert f'href="/conferences/refer/{case.pk}/"' in page

    short = client.post(f"/conferences/refer/{case.pk}/", {"reason": "Worried."})
    assert short.status_code == 400
    assert "at least 10 characters" in short.content.decode()

    response = client.post(f"/conferences/refer/{case.pk}/", {"reason": REASON})

    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    referral = ConferenceReferral.objects.get(case=case)
    assert (referral.series, referral.criterion, referral.status) == (series, "judgement", "queued")
    assert referral.reason == REASON and referral.referred_by == coordinator
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert escape("Waiting in the queue of Baku risk conference since") in page
    assert "Professional judgement" in page
    assert f'href="/conferences/refer/{case.pk}/"' not in page


def test_the_header_links_the_conferences_for_those_who_take_part(
    browse, chair, coordinator, officer, admin
):
    link = 'href="/conferences/"'

    for user in (chair, coordinator, admin):
        assert link in browse(user).get("/").content.decode(), user
    assert link not in browse(officer).get("/").content.decode()
    assert browse(officer).get("/conferences/").status_code == 404


def test_the_case_page_shows_the_agencies_promises_to_its_circle(
    browse, chair, coordinator, officer, outsider, social, social_worker, in_session, item
):
    _discuss(chair, item)
    services.action_add(
        actor=chair,
        item=item,
        text="Arrange a place at the school nearer the shelter.",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=4),
        concerns=["children"],
    )

    page = browse(officer).get(f"/cases/{item.case_id}/").content.decode()

    assert "What the agencies promised the conference" in page
    assert "Arrange a place at the school nearer the shelter." in page
    assert browse(outsider).get(f"/cases/{item.case_id}/").status_code == 404


def test_queue_cases_are_links_for_those_who_may_open_them(
    browse, chair, chair_agency, officer, series, queued
):
    client = browse(chair)
    case = queued.case
    link = f'href="/cases/{case.pk}/"'
    page = client.get(f"/conferences/series/{series.pk}/").content.decode()
    # The chair's agency is not in the case's circle: the reference only, no link.
    assert case.reference in page and link not in page
    # On a phone the queue's rows stack, each cell named by its column.
    assert '<table class="stack">' in page and 'data-label="Risk level"' in page
    assert client.get(f"/cases/{case.pk}/").status_code == 404

    case_share(
        actor=officer, case=case, agency=chair_agency, reason="The chair prepares the meeting."
    )

    page = client.get(f"/conferences/series/{series.pk}/").content.decode()
    assert f"{link}>{case.reference}</a>" in page
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_building_a_full_agenda_says_why_the_rest_waits(
    browse, chair, series, queued, critical_case
):
    series.minutes_per_case = 120  # three hours hold one case
    series.save()
    meeting = services.meeting_plan(
        actor=chair, series=series, starts_at=timezone.now() + timedelta(days=7), place="Room 4"
    )
    client = browse(chair)

    page = client.post(_url(meeting, tail="agenda/build/"), follow=True).content.decode()

    assert "1 case from the queue is on the agenda." in page
    assert (
        "1 case still waits in the queue: the agenda is full (three hours at 120 minutes "
        "per case: room for 1). Add one by hand or plan another meeting."
    ) in page
    assert meeting.items.count() == 1

    page = client.post(_url(meeting, tail="agenda/build/"), follow=True).content.decode()
    assert "1 case still waits in the queue: the agenda is full (three hours" in page
    assert "are on the agenda" not in page and "is on the agenda" not in page
    assert meeting.items.count() == 1
