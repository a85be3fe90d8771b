"""A series' figures: what its meetings heard, whether the agencies did what they promised
on time, and whether they came. For the chair side, the members' agency leads and the
coordinating body only; counts, never a case or a person."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from birge.cases.tests.factories import register_case
from birge.conferences import services
from birge.conferences.models import ConferenceReferral


def url(series) -> str:
    return reverse("conferences:figures", args=[series.pk])


@pytest.fixture
def clock(time_machine):
    """`clock(day)`: the clock held still at 10:00, `day` days from today."""
    start = timezone.localtime()

    def clock(day: int):
        moment = (start + timedelta(days=day)).replace(hour=10, minute=0, second=0, microsecond=0)
        time_machine.move_to(moment, tick=False)
        return moment

    return clock


@pytest.fixture
def high_risk(officer, assess, series):
    """`high_risk()`: a new case assessed at high risk, and its referral in the queue."""

    def high_risk() -> ConferenceReferral:
        case = register_case(officer)
        assess(officer, case, "threat_to_kill")
        return ConferenceReferral.objects.get(case=case, series=series, status="queued")

    return high_risk


def _hold(chair, series, clock, day, referrals, attendees):
    """A meeting planned the day before `day`, held on `day` with `referrals` discussed;
    left in session for its actions. Returns the meeting and its items."""
    clock(day - 1)
    meeting = services.meeting_plan(
        actor=chair, series=series, starts_at=timezone.localtime() + timedelta(days=1)
    )
    items = [services.agenda_add(actor=chair, meeting=meeting, referral=r) for r in referrals]
    clock(day)
    services.meeting_open(actor=chair, meeting=meeting)
    for user in attendees:
        services.meeting_attend(actor=user, meeting=meeting, accept=True, language="en")
    for item in items:
        services.item_discuss(
            actor=chair, item=item, summary="Summary.", victim_view="Her view.", risks="Risks."
        )
    return meeting, items


def _act(chair, item, agency, person, due_in):
    return services.action_add(
        actor=chair,
        item=item,
        text="Do what was agreed",
        agency=agency,
        person=person,
        due_on=timezone.localdate() + timedelta(days=due_in),
        concerns=["victim"],
    )


@pytest.fixture
def history(chair, coordinator, social_worker, series, social, police, queued, clock, high_risk):
    """Two meetings held in the weeks after today; the figures are read 60 days on.

    The first (day 10) hears the high-risk case and a repeat case, with the chair, the
    police's coordinator and the social worker there, and agrees three actions: one done
    on time, one done late, one still open past its due date. The second (day 45) hears
    the high-risk case again and a new case, with the chair and the coordinator only.
    The shelter, a member agency, never comes."""
    clock(9)
    repeat = high_risk()
    services.conference_queue(case=repeat.case, criterion="repeat", series=series)
    repeat.refresh_from_db()
    first, (heard, repeated) = _hold(
        chair, series, clock, 10, [queued, repeat], [chair, coordinator, social_worker]
    )
    on_time = _act(chair, heard, social, social_worker, due_in=3)
    late = _act(chair, repeated, police, coordinator, due_in=3)
    _act(chair, repeated, social, social_worker, due_in=5)
    services.meeting_close(actor=chair, meeting=first)
    clock(12)
    services.action_complete(actor=social_worker, action=on_time)
    clock(20)
    services.action_complete(actor=coordinator, action=late)

    clock(44)
    again = services.conference_queue(
        case=queued.case, criterion="judgement", series=series, reason="New threats."
    )
    second, _items = _hold(chair, series, clock, 45, [again, high_risk()], [chair, coordinator])
    services.meeting_close(actor=chair, meeting=second)
    return clock(60)


def test_the_figures_count_what_the_meetings_did(browse, analyst, series, history):
    today = history.date()
    since, until = today - timedelta(days=60), today

    response = browse(analyst).get(url(series), {"since": since, "until": until})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.meetings_held, figures.cases_heard, figures.distinct_cases) == (2, 4, 3)
    assert (figures.repeat_cases, figures.repeat_rate) == (1, 25)
    assert figures.per_10000 == pytest.approx(0.6)  # 3 cases, 50,000 adult women
    assert (figures.actions_agreed, figures.actions_judged, figures.actions_on_time) == (3, 3, 1)
    assert figures.on_time_share == pytest.approx(100 / 3)
    assert figures.actions_overdue == 1
    assert sum(n for _month, n in figures.by_month) == 4
    html = response.content.decode()
    assert "1 (25%)" in html
    assert "0.60" in html
    assert "1 (33%)" in html


def test_attendance_is_counted_per_member_agency(
    browse, chair, series, chair_agency, police, social, shelter, history
):
    response = browse(chair).get(url(series), {"until": history.date()})

    shares = {a.agency_id: (a.attended, a.held) for a in response.context["figures"].attendance}
    assert shares == {
        chair_agency.pk: (2, 2),
        police.pk: (2, 2),
        social.pk: (1, 2),
        shelter.pk: (0, 2),
    }
    html = response.content.decode()
    assert re.search(r"Agency social-baku</th>\s*<td>1 of 2</td>\s*<td>50%</td>", html)
    assert re.search(r"Agency shelter-baku</th>\s*<td>0 of 2</td>\s*<td>0%</td>", html)


def test_the_charts_are_drawn_without_script_or_inline_style(browse, chair, series, history):
    html = browse(chair).get(url(series), {"until": history.date()}).content.decode()

    attendance, months = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
    assert len(re.findall(r"<rect ", attendance)) == 4
    assert "Agency social-baku: 50%" in attendance
    bars = re.findall(r"<title>(\d{4}-\d{2}): (\d+)</title>", months)
    assert sum(int(n) for _month, n in bars) == 4
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # the CSP allows no inline script
    assert "style=" not in html


def test_a_period_without_meetings_shows_zeros(browse, chair, series):
    response = browse(chair).get(url(series))

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["figures"].meetings_held == 0
    assert "No case was heard in this period." in html


def test_the_rate_per_10000_needs_the_population(browse, chair, series):
    series.adult_women_population = None
    series.save(update_fields=["adult_women_population"])

    html = browse(chair).get(url(series)).content.decode()

    assert "population not set" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "yesterday"}, "Enter a valid date."),
        ({"until": "2024-02-30"}, "Enter a valid date."),
        ({"since": "0001-01-01"}, "Give a date from 2000-01-01 to 2999-12-31."),
        ({"until": "9999-12-31"}, "Give a date from 2000-01-01 to 2999-12-31."),
        ({"since": "2025-03-01", "until": "2025-02-01"}, "The first date is after the last one"),
    ],
)
def test_bad_dates_get_a_clear_answer(browse, chair, series, query, message):
    response = browse(chair).get(url(series), query)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("who", ["chair", "lead", "analyst", "admin"])
def test_the_chair_agency_leads_and_the_coordinating_body_see_the_figures(
    request, browse, series, who
):
    user = request.getfixturevalue(who)

    assert browse(user).get(url(series)).status_code == 200


@pytest.mark.parametrize(
    "who", ["coordinator", "social_worker", "officer", "outsider", "ganja_coordinator"]
)
def test_members_without_oversight_and_outsiders_get_404(request, browse, series, who):
    """The coordinator and the social worker attend the series' meetings, but the figures
    are their agency leads' to read."""
    user = request.getfixturevalue(who)

    assert browse(user).get(url(series)).status_code == 404


def test_a_series_that_does_not_exist_is_404(browse, analyst):
    assert browse(analyst).get("/conferences/series/999999/figures/").status_code == 404
