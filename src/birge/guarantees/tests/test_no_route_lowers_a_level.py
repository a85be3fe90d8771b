"""No route lowers a risk level alone: the matrix of every route that can set a level.

Every route of the URL resolver, pages and API, is called with GET and every write method
by a frontline officer, a case coordinator and an agency lead of the agency that owns a
case at high risk, with a "lowering" body: every field name a level could hide behind set
to the lowest level, every item of every shipped instrument answered "no" or "not known",
a judgement reason of 10+ characters, `submit`. The route's ids are real objects of that
case: a draft of the caller's, a lower level proposed by a colleague of her own agency
and waiting for a second opinion (so each call of the approval route is a second person
of the SAME agency approving), the assessment in force, the case's referral, plan,
conference item, and so on. After each call the case's level must not be lower than
before. Each call runs in a savepoint that is rolled back, so every route meets the same
case at the same level.

The control: through the same calls, a professional of another agency in the circle
approves, and the level does go down; and for whoever may assess, the lowering bodies do
reach the rule (they make proposals that wait), so the matrix cannot pass by every call
failing. A route added later is in the matrix the day it is added; a route parameter
nobody taught this test fails it loudly.
"""

import copy
import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from birge.access.levels import level_rank
from birge.agencies.models import Role
from birge.cases import services as case_services
from birge.cases.models import Case, CasePerson, CircleMember, Part
from birge.cases.tests.factories import consent_for, register_case
from birge.cases.tests.routes import fill, parameters
from birge.conferences import services as conference_services
from birge.conferences.models import ConferenceReferral
from birge.justice.tests.factories import order_breached
from birge.justice.tests.factories_proceedings import justice_ids
from birge.risk import services as risk_services
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.safety import services as safety_services
from birge.safety.tests.conftest import SECTIONS

REASON = "She has moved to her sister's flat in another city, far from him."
METHODS = ("get", "post", "put", "patch", "delete")
PENDING = RiskAssessment.Status.PENDING_APPROVAL


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else route


def every_route() -> dict[str, str]:
    """Every route of the URL resolver, pages and API: {route: its name}."""
    return dict(sorted(_walk(get_resolver().url_patterns)))


ROUTES = every_route()
BY_NAME = {name: route for route, name in ROUTES.items()}


def test_the_matrix_holds_every_route_pages_and_api():
    assert len(ROUTES) > 170
    assert {"risk:judgement", "risk:assessment_submit", "risk:assessment_approve"} <= set(BY_NAME)
    assert {"api-case-risk-level", "api-case-assessments", "api-case-detail"} <= set(BY_NAME)
    assert any(r.startswith("api/v1/conferences/") for r in ROUTES)
    assert any(r.startswith("conferences/") for r in ROUTES)


# --- The lowering body -------------------------------------------------------------------


def _level_field_names() -> set[str]:
    """`level`, and every model field that holds a level, from the app registry."""
    return {"level"} | {
        f.name for model in apps.get_models() for f in model._meta.fields if "level" in f.name
    }


def lowering_bodies(case: Case) -> list[dict]:
    """One body per shipped instrument, its items answered "not known" or "no" in turn."""
    common = dict.fromkeys(_level_field_names(), "standard")
    common.update(
        reason=REASON,
        judgement_reason=REASON,
        risk_reason=REASON,
        submit=True,
        victim_fear="not_afraid",
        victim_view="She feels safer now.",
        version=case.version,
    )
    instruments = InstrumentVersion.objects.filter(is_active=True).order_by("instrument_id")
    assert instruments.count() >= 2, "the shipped instruments are installed by migration"
    bodies = []
    for version, answer in zip(instruments, itertools.cycle(("unknown", "no")), strict=False):
        items = [item.id for item in version.instrument.items]
        bodies.append(
            {
                **common,
                "instrument": version.instrument_id,
                "answers": dict.fromkeys(items, answer),
                **{f"item_{item}": answer for item in items},
                # The pages choose the instrument in the address.
                "?": {"instrument": version.pk},
            }
        )
    return bodies


def _form(body: dict) -> dict:
    """The body as a form or a query string: scalars and lists only."""
    return {k: v for k, v in body.items() if k != "?" and not isinstance(v, dict)}


def _json(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "?"}


# --- The case at high level, and an object of it for every kind of id ---------------------


@dataclass
class World:
    case: Case
    pending: RiskAssessment
    ids: dict[str, list] = field(default_factory=dict)

    def fillings(self, route: str):
        names = sorted(parameters(route))
        for unknown in set(names) - set(self.ids):
            pytest.fail(f"teach the level matrix the route parameter {unknown!r} ({route})")
        for values in itertools.product(*(self.ids[n] for n in names)):
            yield fill(route, dict(zip(names, values, strict=True)))


def _assessment(user, case, *yes, answer="no", submit=True) -> RiskAssessment:
    checklist = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")
    answers = {i.id: "yes" if i.id in yes else answer for i in checklist.instrument.items}
    made = risk_services.assessment_draft_save(
        actor=user, case=case, instrument_version=checklist, answers=answers
    )
    if submit:
        risk_services.assessment_submit(actor=user, assessment=made)
    made.refresh_from_db()
    return made


def build_world(request, actor) -> World:
    def get(name):
        return request.getfixturevalue(name)

    officer, colleague, coordinator = get("officer"), get("colleague"), get("coordinator")
    police, shelter, shelter_worker = get("police"), get("shelter"), get("shelter_worker")
    chair, series, social, social_worker = (
        get("chair"),
        get("series"),
        get("social"),
        get("social_worker"),
    )
    case = register_case(officer, consent=consent_for(shelter, location=True))
    member = case_services.case_share(actor=officer, case=case, agency=shelter)
    in_force = _assessment(coordinator, case, "threat_to_kill")
    case.refresh_from_db()
    assert case.risk_level == "high"
    # The conference: the case waits in the series' queue, and is on a meeting's agenda.
    queued = ConferenceReferral.objects.get(case=case, series=series)
    meeting = conference_services.meeting_plan(
        actor=chair, series=series, starts_at=timezone.now() + timedelta(days=7), place="Room 4"
    )
    conference_services.agenda_add(actor=chair, meeting=meeting, referral=queued)
    item = meeting.items.get()
    conference_services.meeting_open(actor=chair, meeting=meeting)
    for user in (chair, coordinator, social_worker):
        conference_services.meeting_attend(actor=user, meeting=meeting, accept=True, language="en")
    conference_services.research_add(
        actor=social_worker, item=item, topic="children", text="Known since 2024."
    )
    conference_services.item_discuss(
        actor=chair, item=item, summary="Summary.", victim_view="Her view.", risks="Risks."
    )
    promised = conference_services.action_add(
        actor=chair,
        item=item,
        text="Visit the children's school.",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=5),
        concerns=["children"],
    )
    # A referral, a safety plan and its action, an emergency grant, a declaration.
    referral = get("refer")(officer, case)
    victim = CasePerson.objects.get(case=case, part=Part.VICTIM)
    case.refresh_from_db()
    plan = safety_services.safety_plan_save(
        actor=officer, case=case, victim=victim, sections=SECTIONS, language="en", version=0
    )
    planned = safety_services.safety_action_add(
        actor=officer,
        case=case,
        plan=plan,
        text="Call her every morning.",
        agency=police,
        due_on=timezone.localdate() + timedelta(days=2),
    )
    grant = case_services.emergency_access_start(
        user=get("ganja_coordinator"),
        reference=case.reference,
        reason="She called the Ganja police at night and needs help now.",
    )
    declaration = case_services.conflict_declare(
        user=actor, first_name="Nigar", last_name="Abbasova", birth_date=None
    )
    # Drafts of the agency's assessors (hers among them), then a lower level proposed by a
    # colleague of her own agency, waiting for a second opinion.
    drafts = {
        user.pk: _assessment(user, case, "threat_to_kill", submit=False)
        for user in (officer, colleague, coordinator)
    }
    proposer = colleague if actor == coordinator else coordinator
    pending = _assessment(proposer, case, answer="unknown")
    assert pending.status == PENDING
    case.refresh_from_db()
    assert case.risk_level == "high"
    order, breach = order_breached(case, applicant=coordinator, breacher=officer)
    case.refresh_from_db()
    own = [drafts[actor.pk].pk] if actor.pk in drafts else []
    justice = justice_ids(case=case, actor=coordinator, provider=shelter)
    ids = {
        "case_id": [case.pk],
        "assessment_id": [*own, pending.pk, in_force.pk],
        "consent_id": [case.consents.get().pk],
        "member_id": [member.pk],
        "grant_id": [grant.pk],
        "declaration_id": [declaration.pk],
        "order_id": [order.pk],
        "breach_id": [breach.pk],
        "victim_id": [victim.pk],
        "perpetrator_id": [CasePerson.objects.get(case=case, part=Part.PERPETRATOR).pk],
        "plan_id": [plan.pk],
        "action_id": [planned.pk, promised.pk],
        "referral_id": [referral.pk, queued.pk],
        "series_id": [series.pk],
        "meeting_id": [meeting.pk],
        "item_id": [item.pk],
        "user_id": [colleague.pk],
        "agency_id": [police.pk],
        "pk": [police.pk],
        "region_id": [case.region_id],
        "role_id": [Role.objects.order_by("pk").values_list("pk", flat=True).first()],
        "service_id": [get("shelter_place").pk],
        "number": [get("protocol").number],
        "instrument_id": ["birge-checklist"],
        "version": ["2"],
        "uidb64": ["MQ"],
        "token": ["set-password"],
        **{name: [value] for name, value in justice.items()},
        "training_id": [1],  # training sessions hold no case, and set no case's level
        "stage_id": ["first-contact"],
        "language": ["en"],
    }
    assert CircleMember.objects.filter(case=case, agency=shelter_worker.agency).exists()
    return World(case=case, pending=pending, ids=ids)


# --- One call, undone ----------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    route: str
    url: str
    status: int
    before: str
    after: str
    proposed: bool  # it made a proposal that waits for a second opinion

    @property
    def lowered(self) -> bool:
        return level_rank(self.after) < level_rank(self.before)


class _Undo(Exception):
    pass


def _request(clients, method: str, url: str, body: dict):
    if url.startswith("/api/"):
        client = clients["api"]
        if method == "get":
            return client.get(url, _form(body))
        return getattr(client, method)(url, _json(body), content_type="application/json")
    client = clients["web"]
    query = urlencode(body["?"])
    if method == "get":
        return client.get(url, {**_form(body), **body["?"]})
    if method == "post":
        return client.post(f"{url}?{query}", _form(body))
    return getattr(client, method)(
        f"{url}?{query}",
        urlencode(_form(body), doseq=True),
        content_type="application/x-www-form-urlencoded",
    )


def call(clients, world: World, method: str, route: str, url: str, body: dict) -> Call:
    """Make the call in a savepoint, read the level after it, and undo it all."""
    cookies = copy.deepcopy(clients["web"].cookies)
    waiting = RiskAssessment.objects.filter(case=world.case, status=PENDING)
    outcome = None
    try:
        with transaction.atomic():
            before = Case.objects.get(pk=world.case.pk).risk_level
            waited = set(waiting.values_list("pk", flat=True))
            response = _request(clients, method, url, body)
            after = Case.objects.get(pk=world.case.pk).risk_level
            proposed = bool(set(waiting.values_list("pk", flat=True)) - waited)
            outcome = Call(method, route, url, response.status_code, before, after, proposed)
            raise _Undo
    except _Undo:
        pass
    finally:
        clients["web"].cookies = cookies  # signing out, undone
    return outcome


@pytest.fixture
def clients(browse, api):
    def clients(user):
        web = browse(user)
        web.raise_request_exception = False
        rest = api(user)
        rest.raise_request_exception = False
        return {"web": web, "api": rest}

    return clients


def run_matrix(clients, world: World) -> list[Call]:
    calls = []
    bodies = lowering_bodies(world.case)
    for route in ROUTES:
        for url in world.fillings(route):
            for method in METHODS:
                # A POST carries each instrument's answers in turn; the other methods one.
                for body in bodies if method == "post" else bodies[:1]:
                    calls.append(call(clients, world, method, route, url, body))
    return calls


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "coordinator", "lead"])
def test_no_route_lowers_the_level_for_anyone_of_the_owning_agency(db, request, clients, who):
    user = request.getfixturevalue(who)
    world = build_world(request, user)
    mine = clients(user)

    calls = run_matrix(mine, world)

    lowered = [f"{c.method.upper()} {c.url}: {c.before} -> {c.after}" for c in calls if c.lowered]
    assert lowered == []
    # The matrix reached the rule: for whoever may assess, the lowering bodies made
    # proposals that wait (pages and API, instrument and judgement alone) …
    proposing = {ROUTES[c.route] for c in calls if c.proposed}
    if who == "lead":
        assert proposing == set()
    else:
        assert proposing >= {
            "risk:judgement",
            "risk:assessment_submit",
            "api-case-risk-level",
            "api-case-assessments",
        }
    # … the colleague's proposal was put to her on the approval route, and she was still
    # signed in at the end (no call had locked her out of the rest).
    approve = fill(
        BY_NAME["risk:assessment_approve"],
        {"case_id": world.case.pk, "assessment_id": world.pending.pk},
    )
    assert any(c.url == approve and c.method == "post" for c in calls)
    assert mine["web"].get(f"/cases/{world.case.pk}/").status_code == 200
    assert mine["api"].get(f"/api/v1/cases/{world.case.pk}/").status_code == 200
    assert len(calls) >= 6 * len(ROUTES)


def test_through_the_same_calls_a_professional_of_another_agency_in_the_circle_lowers_it(
    request, clients, officer, shelter_worker
):
    world = build_world(request, officer)
    approve = BY_NAME["risk:assessment_approve"]
    url = fill(approve, {"case_id": world.case.pk, "assessment_id": world.pending.pk})

    done = call(
        clients(shelter_worker), world, "post", approve, url, lowering_bodies(world.case)[0]
    )

    assert (done.before, done.after) == ("high", "standard")
    assert done.lowered
