"""A series' figures: what its meetings heard, whether the agencies did what they promised
on time, and whether they came. For the chair side, the members' agency leads and the
coordinating body only; counts, never a case or a person."""

import dataclasses
import random
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from birge.cases.tests.factories import register_case
from birge.conferences import services
from birge.conferences.figures import PublishedFigures, SeriesFigures, figures_publish
from birge.conferences.models import ConferenceReferral
from birge.privacy.disclosure import Figure


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


@pytest.fixture
def unsuppressed(settings):
    """Small numbers shown as they are, to check the arithmetic: the figures' tests use a
    handful of cases (their suppression is tested in test_figures_disclosure.py)."""
    settings.BIRGE_STATS_MIN_CELL = 0


def test_the_figures_count_what_the_meetings_did(browse, analyst, series, history, unsuppressed):
    today = history.date()
    since, until = today - timedelta(days=60), today

    response = browse(analyst).get(url(series), {"since": since, "until": until})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.meetings_held == 2
    assert (figures.cases_heard.value, figures.distinct_cases.value) == (4, 3)
    assert (figures.repeat_cases.value, figures.repeat_rate.value) == (1, 25)
    assert figures.per_10000.value == pytest.approx(0.6)  # 3 cases, 50,000 adult women
    assert figures.actions_agreed.value == 3
    assert (figures.actions_judged.value, figures.actions_on_time.value) == (3, 1)
    assert figures.on_time_share.value == pytest.approx(100 / 3)
    assert (figures.actions_late.value, figures.actions_overdue.value) == (1, 1)
    assert sum(m.cases_heard.value for m in figures.by_month) == 4
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
    assert re.search(r"Agency social-baku</th>\s*<td[^>]*>1 of 2</td>\s*<td[^>]*>50%</td>", html)
    assert re.search(r"Agency shelter-baku</th>\s*<td[^>]*>0 of 2</td>\s*<td[^>]*>0%</td>", html)


def test_the_charts_are_drawn_without_script_or_inline_style(
    browse, chair, series, history, unsuppressed
):
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
    assert "No meeting was held in this period." in html


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


# --- Small numbers identify nobody -----------------------------------------------------

MARKER = "suppressed"
# Figures shown inside another one's row on the page, or in the API only.
NOT_ROWS = {"repeat_rate", "distinct_cases", "on_time_share", "actions_open"}


def _published_figure_names() -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(PublishedFigures)
        if "Figure" in str(f.type) and f.name != "by_month"
    ]


def _rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-figure="(\w+)">.*?<td>(.*?)</td></tr>', html, re.DOTALL))


def test_every_figure_below_the_threshold_is_hidden_on_the_page_in_the_chart_and_the_api(
    browse, api, chair, series, history
):
    """Two meetings, four cases heard, three actions: all fewer than 10."""
    query = {"until": history.date()}
    page = browse(chair).get(url(series), query)
    answer = api(chair).get(f"/api/v1/conferences/series/{series.pk}/figures/", query).json()

    figures = page.context["figures"]
    names = _published_figure_names()
    assert {"cases_heard", "per_10000", "actions_overdue", "on_time_share"} <= set(names)
    html = page.content.decode()
    rows = _rows(html)
    for name in names:
        assert getattr(figures, name).suppressed, name
        assert answer[name] is None and name in answer["suppressed"], name
        if name not in NOT_ROWS:
            assert MARKER in rows[name] and not re.search(r"\d", rows[name]), name
    assert answer["min_cell"] == 10
    assert answer["meetings_held"] == 2  # meetings are not people
    # The chart draws no bar for a hidden month: a gap, labelled.
    months = re.findall(r"<svg.*?</svg>", html, re.DOTALL)[-1]
    assert figures.by_month and "<rect" not in months
    assert months.count(MARKER) == len(figures.by_month)
    assert [m["cases_heard"] for m in answer["by_month"]] == [None] * len(figures.by_month)
    assert all(m["suppressed"] for m in answer["by_month"])
    assert "So that nobody can be recognised" in html


@pytest.mark.parametrize(("language", "marker"), [("az", "gizlədilib"), ("ru", "скрыто")])
def test_the_hidden_marker_is_in_the_readers_language(
    browse, chair, series, history, language, marker
):
    browser = browse(chair)
    browser.cookies["birge_language"] = language

    rows = _rows(browser.get(url(series), {"until": history.date()}).content.decode())

    assert marker in rows["cases_heard"]


def test_a_shown_total_never_gives_away_its_one_hidden_part(
    browse, api, chair, series, history, settings
):
    """With a threshold of 2, four cases heard are shown and one repeat is not: the
    months and the actions are hidden in pairs at least, never one alone."""
    settings.BIRGE_STATS_MIN_CELL = 2
    query = {"until": history.date()}
    answer = api(chair).get(f"/api/v1/conferences/series/{series.pk}/figures/", query).json()

    assert answer["cases_heard"] == 4
    assert answer["repeat_cases"] is None and answer["repeat_rate"] is None
    months = [m["cases_heard"] for m in answer["by_month"]]
    assert months.count(None) != 1
    assert sum(n for n in months if n is not None) != 4 or None not in months
    actions = [answer[n] for n in ("actions_on_time", "actions_late", "actions_overdue")]
    actions.append(answer["actions_not_yet_due"])
    assert answer["actions_agreed"] == 3 and actions.count(None) != 1


def _raw(rng: random.Random) -> SeriesFigures:
    """Exact counts as a series could have them, small and large mixed."""

    def n(most: int) -> int:
        return rng.choice([0, 1, 2, rng.randint(0, most), rng.randint(0, 3 * most)])

    months = [n(15) for _ in range(rng.randint(1, 6))]
    heard = sum(months)
    on_time, late, overdue, not_due = n(15), n(15), n(15), n(15)
    return SeriesFigures(
        series_id=1,
        since=date(2026, 1, 1),
        until=date(2026, 12, 31),
        meetings_held=len(months),
        cases_heard=heard,
        distinct_cases=heard - rng.randint(0, heard // 2),
        repeat_cases=rng.randint(0, heard),
        population=rng.choice([None, 50000]),
        actions_agreed=on_time + late + overdue + not_due,
        actions_judged=on_time + late + overdue,
        actions_on_time=on_time,
        actions_open=overdue + not_due,
        actions_overdue=overdue,
        by_month=[(f"2026-{i + 1:02d}", m) for i, m in enumerate(months) if m],
        meeting_months=[f"2026-{i + 1:02d}" for i in range(len(months))],
    )


def _derivable_small(total: Figure, parts: list[tuple[Figure | None, int]], k: int) -> bool:
    """Whether the shown total and the shown parts give away a part below k: the one part
    unknown to the reader (hidden, or never published: None) when it is alone."""
    if not total.shown:
        return False
    unknown = [value for cell, value in parts if cell is None or not cell.shown]
    return len(unknown) == 1 and unknown[0] < k


@pytest.mark.parametrize("k", [2, 5, 10])
def test_no_published_figure_reveals_a_small_count(k):
    """Thousands of series' exact counts, published: every count shown is at least k,
    and nothing shown lets one below k be worked out."""
    rng = random.Random(k)
    for _ in range(3000):
        raw = _raw(rng)
        shown = figures_publish(raw, min_cell=k)
        late = raw.actions_judged - raw.actions_on_time - raw.actions_overdue
        not_due = raw.actions_open - raw.actions_overdue
        exact = {
            "cases_heard": raw.cases_heard,
            "distinct_cases": raw.distinct_cases,
            "repeat_cases": raw.repeat_cases,
            "actions_agreed": raw.actions_agreed,
            "actions_on_time": raw.actions_on_time,
            "actions_late": late,
            "actions_overdue": raw.actions_overdue,
            "actions_not_yet_due": not_due,
            "actions_judged": raw.actions_judged,
            "actions_open": raw.actions_open,
        }
        for name, value in exact.items():
            figure = getattr(shown, name)
            assert not figure.shown or figure.value == value >= k, (name, raw)
        months = dict(raw.by_month)
        cells = [(m.cases_heard, months.get(m.month, 0)) for m in shown.by_month]
        assert all(not c.shown or c.value == v >= k for c, v in cells), raw
        heard = shown.cases_heard
        lines = [
            (heard, cells),
            (heard, [(shown.repeat_cases, raw.repeat_cases), (None, raw.cases_heard - raw.repeat_cases)]),
            (heard, [(shown.distinct_cases, raw.distinct_cases), (None, raw.cases_heard - raw.distinct_cases)]),
            (shown.actions_agreed, [(shown.actions_on_time, raw.actions_on_time), (shown.actions_late, late), (shown.actions_overdue, raw.actions_overdue), (shown.actions_not_yet_due, not_due)]),
            (shown.actions_judged, [(shown.actions_on_time, raw.actions_on_time), (shown.actions_late, late), (shown.actions_overdue, raw.actions_overdue)]),
            (shown.actions_open, [(shown.actions_overdue, raw.actions_overdue), (shown.actions_not_yet_due, not_due)]),
            (shown.actions_agreed, [(shown.actions_judged, raw.actions_judged), (shown.actions_not_yet_due, not_due)]),
        ]  # fmt: skip
        for line, (total, parts) in enumerate(lines):
            assert not _derivable_small(total, parts, k), (line, raw)
            published = [cell for cell, _value in parts if cell is not None]
            if total.shown and len(published) == len(parts):
                # A shown total never equals the shown parts plus one hidden part.
                assert sum(not cell.shown for cell in published) != 1, (line, raw)
        # A rate and its shown denominator give the numerator: both rest on counts >= k.
        for rate, numerator, denominator in (
            (shown.repeat_rate, raw.repeat_cases, raw.cases_heard),
            (shown.on_time_share, raw.actions_on_time, raw.actions_judged),
            (shown.per_10000, raw.distinct_cases, raw.population or 0),
        ):
            if rate is not None and rate.shown:
                assert numerator >= k and denominator - numerator >= k, raw
        if shown.per_10000 is not None and shown.per_10000.shown:
            assert shown.distinct_cases.shown, raw


@pytest.mark.parametrize(("language", "share"), [("az", "Pay"), ("ru", "Доля")])
def test_the_share_column_is_a_proportion_not_the_verb(
    browse, chair, series, history, language, share
):
    browser = browse(chair)
    browser.cookies["birge_language"] = language

    page = browser.get(url(series), {"until": history.date()}).content.decode()

    assert f'<th scope="col">{share}</th>' in page
    assert "Paylaş" not in page and "Передать" not in page
