"""Who may reach the conference routes. A series, its meetings, their agenda items and
actions exist only for the series' chair side and members (and, for an action, the
responsible agency): an outsider gets 404 on every route, GET and POST, as for one that was
never there, and nothing changes. The routes come from the URL resolver, so a route added
later is covered without anyone adding it here."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from birge.access.tests.refusals import only_refusals
from birge.cases.tests.routes import fill, parameters
from birge.conferences import services
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    Meeting,
    ResearchNote,
)

NEVER = 999999


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def conference_routes() -> list[str]:
    """The `conferences` namespace's routes and the conferences API's."""
    routes = []
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLResolver):
            continue
        if entry.namespace == "conferences":
            routes += _walk(entry.url_patterns, str(entry.pattern))
        elif str(entry.pattern) == "api/v1/":
            routes += [r for r in _walk(entry.url_patterns, "api/v1/") if "conferences/" in r]
    return sorted(set(routes))


ROUTES = conference_routes()
OBJECT_ROUTES = [r for r in ROUTES if parameters(r)]
# What a meeting shows: the routes under a meeting, an item or an action (not a series'
# settings and figures, which the coordinating body's analyst may read).
MEETING_ROUTES = [r for r in OBJECT_ROUTES if parameters(r) & {"meeting_id", "action_id"}]


def test_the_route_list_holds_the_conference_routes():
    assert len(ROUTES) > 30
    assert "conferences/meetings/<id:meeting_id>/minutes.pdf" in ROUTES
    assert "conferences/series/<id:series_id>/figures/" in ROUTES
    assert any(r.startswith("api/v1/conferences/meetings/") for r in ROUTES)
    assert any(r.startswith("api/v1/conferences/actions/") for r in ROUTES)


@pytest.fixture
def target(chair, coordinator, social, social_worker, in_session, item, high_risk_case):
    """A meeting in session with a discussed case, research, an action; a second case queued."""
    from birge.cases.tests.factories import register_case

    services.research_add(
        actor=social_worker, item=item, topic="children", text="Known since 2024."
    )
    services.item_discuss(
        actor=chair, item=item, summary="Summary.", victim_view="Her view.", risks="Risks."
    )
    action = services.action_add(
        actor=chair,
        item=item,
        text="Visit the children's school.",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=5),
        concerns=["children"],
    )
    other = register_case(coordinator)
    waiting = services.conference_refer(
        actor=coordinator, case=other, reason="She is afraid he will come back."
    )
    return {
        "series_id": in_session.series_id,
        "meeting_id": in_session.pk,
        "item_id": item.pk,
        "action_id": action.pk,
        "referral_id": waiting.pk,
        "case_id": other.pk,
    }


def _state():
    return (
        sorted(Meeting.objects.values_list("pk", "status", "version")),
        sorted(AgendaItem.objects.values_list("pk", "outcome", "version", "position")),
        sorted(ConferenceReferral.objects.values_list("pk", "status", "version")),
        sorted(ConferenceAction.objects.values_list("pk", "status", "version")),
        ResearchNote.objects.count(),
        Attendance.objects.count(),
    )


def _post_data(target):
    """What a determined person would post: enough for any form behind these routes."""
    return {
        "reason": "Because I say so.",
        "accept": "on",
        "topic": "other",
        "text": "Nothing.",
        "summary": "x",
        "victim_view": "x",
        "risks": "x",
        "agency": "1",
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "concerns": ["victim"],
        "referral": str(target["referral_id"]),
        "case": str(target["case_id"]),
        "note": "Done.",
        "starts_at": (timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
    }


def _check_404_everywhere(client, user, target, route, method):
    before = _state()
    url = fill(route, target)
    if url.startswith("/api/"):
        response = getattr(client["api"], method)(
            url, _post_data(target), content_type="application/json"
        )
    else:
        response = getattr(client["web"], method)(url, _post_data(target))
    assert response.status_code == 404, (method, url, response.status_code)
    never = fill(route, dict.fromkeys(parameters(route), NEVER))
    web_or_api = client["api"] if never.startswith("/api/") else client["web"]
    assert getattr(web_or_api, method)(never).status_code == 404
    assert _state() == before
    assert only_refusals(user)


@pytest.fixture
def clients(browse, api):
    return lambda user: {"web": browse(user), "api": api(user)}


@pytest.mark.parametrize("route", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_every_conference_route(clients, outsider, target, route, method):
    """A frontline officer of the Ganja police, an agency outside the series."""
    _check_404_everywhere(clients(outsider), outsider, target, route, method)


@pytest.mark.parametrize("route", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_coordinator_of_a_non_member_agency_gets_404_on_every_conference_route(
    clients, ganja_coordinator, target, route, method
):
    """She may attend conferences and refer to them, but not this series'."""
    _check_404_everywhere(clients(ganja_coordinator), ganja_coordinator, target, route, method)


@pytest.mark.parametrize("route", MEETING_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_analyst_gets_404_on_every_meeting_and_action_route(
    clients, analyst, target, route, method
):
    """The coordinating body's analyst reads a series' figures, never a meeting."""
    _check_404_everywhere(clients(analyst), analyst, target, route, method)


def test_the_outsiders_lists_hold_nothing_of_the_series(browse, api, outsider, target):
    listed = api(outsider).get("/api/v1/conferences/series/").json()
    actions = api(outsider).get("/api/v1/conferences/actions/").json()
    page = browse(outsider).get("/conferences/")

    assert listed == [] or listed.get("results") == []
    assert actions == [] or actions.get("results") == []
    assert page.status_code == 404


PAGE_ROUTES = [r for r in ROUTES if not r.startswith("api/")]
ODD_BODIES = [
    {},
    {
        "referral": "9" * 30,
        "starts_at": "not a date",
        "due_on": "9999-99-99",
        "agency": "1e9",
        "person": "'; DROP TABLE cases; --",
        "concerns": ["nobody", "victim"],
        "accept": "maybe",
        "version": "9" * 25,
        "topic": "gossip",
        "text": "x" * 100_000,
        "code": "not a slug!",
        "members": ["9" * 30, "-1"],
        "quorum": "9" * 12,
        "minutes_per_case": "-5",
        "region": "-1",
        "chair": "abc",
        "reason": "\x00" * 20,
    },
]


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_odd_input_on_every_conference_page_is_answered_without_a_server_error(
    browse, chair, admin, social_worker, target, route
):
    """The chair, an administrator and a member post nonsense to every page: each gets a
    page or a redirect with the reason, never a server error."""
    url = fill(route, target)
    for user in (chair, admin, social_worker):
        client = browse(user)
        for body in ODD_BODIES:
            assert client.post(url, body).status_code < 500, (user, url, body)
        query = {"since": "0000-01-01", "until": "99999-12-31", "lang": "xx", "before": "z"}
        assert client.get(url, query).status_code < 500, (user, url)
