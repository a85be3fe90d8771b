"""Outside the case's circle a safety plan does not exist: every safety route answers 404
to outsiders and analysts. A colleague who may see the case but not plan (the agency
lead) reads the plan and gets 403 on every page that changes it.

The routes are read from the URL resolver, so a route added later is covered without
anyone remembering to add it here."""

from datetime import timedelta

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from birge.access.tests.refusals import only_refusals
from birge.cases.tests.routes import _walk, fill, parameters
from birge.risk.services import assessment_judgement
from birge.safety import services
from birge.safety.models import SafetyAction, SafetyPlan, SafetyPlanRevision
from birge.safety.tests.conftest import SECTIONS

NEVER = 999999
# Pages that change a plan; the others only read it.
WRITES = {"new/", "edit/", "actions/new/", "status/"}


def safety_routes() -> list[str]:
    # Read at test time: the safety URLs may come from the test URLconf (conftest).
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "safety":
            return list(_walk(entry.url_patterns, str(entry.pattern)))
    raise AssertionError("no `safety` namespace in the URL configuration")


ROUTES = [
    "cases/<id:case_id>/safety/",
    "cases/<id:case_id>/safety/new/<id:victim_id>/",
    "cases/<id:case_id>/safety/<id:plan_id>/",
    "cases/<id:case_id>/safety/<id:plan_id>/edit/",
    "cases/<id:case_id>/safety/<id:plan_id>/print/",
    "cases/<id:case_id>/safety/<id:plan_id>/pdf/",
    "cases/<id:case_id>/safety/<id:plan_id>/actions/new/",
    "cases/<id:case_id>/safety/<id:plan_id>/actions/<id:action_id>/status/",
]


def _is_write(route: str) -> bool:
    return any(route.endswith(suffix) for suffix in WRITES) or "/new/" in route


def test_the_route_list_is_every_safety_route(db):
    assert sorted(safety_routes()) == sorted(ROUTES)


@pytest.fixture
def target(officer, police, plan):
    action = services.safety_action_add(
        actor=officer,
        case=plan.case,
        plan=plan,
        text="Call her every morning.",
        agency=police,
        due_on=timezone.localdate() + timedelta(days=2),
    )
    return {
        "plan": plan,
        "ids": {
            "case_id": plan.case_id,
            "plan_id": plan.pk,
            "victim_id": plan.victim_id,
            "action_id": action.pk,
        },
    }


def _post_data(user, plan):
    """What a determined person would post: enough for any form behind these routes."""
    return {
        **SECTIONS,
        "version": plan.version,
        "language": "en",
        "text": "Take over.",
        "agency": user.agency_id or "",
        "due_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "status": "cancelled",
    }


def _state():
    return (
        list(SafetyPlan.objects.values_list("version", "language")),
        SafetyPlanRevision.objects.count(),
        list(SafetyAction.objects.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_every_safety_route(browse, outsider, target, route, method):
    client = browse(outsider)
    before = _state()
    data = _post_data(outsider, target["plan"])

    response = getattr(client, method)(fill(route, target["ids"]), data)
    missing = getattr(client, method)(fill(route, dict.fromkeys(parameters(route), NEVER)), data)

    assert response.status_code == 404
    assert missing.status_code == 404
    assert _state() == before
    assert only_refusals(outsider)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["analyst", "auditor"])
def test_analysts_and_auditors_get_404_on_every_safety_route(
    request, browse, target, route, method, who
):
    user = request.getfixturevalue(who)
    before = _state()

    response = getattr(browse(user), method)(
        fill(route, target["ids"]), _post_data(user, target["plan"])
    )

    assert response.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not _is_write(r)])
def test_a_colleague_who_may_not_plan_reads_the_plan(browse, lead, target, route):
    response = browse(lead).get(fill(route, target["ids"]))

    assert response.status_code == 200


@pytest.mark.parametrize("route", [r for r in ROUTES if _is_write(r)])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_colleague_who_may_not_plan_gets_403_on_changes(browse, lead, target, route, method):
    before = _state()

    response = getattr(browse(lead), method)(
        fill(route, target["ids"]), _post_data(lead, target["plan"])
    )

    assert response.status_code == 403
    assert _state() == before


def test_a_colleague_who_may_not_plan_sees_no_edit_links(browse, lead, target):
    plan = target["plan"]

    html = browse(lead).get(fill(ROUTES[2], target["ids"])).content.decode()

    assert f"/safety/{plan.pk}/edit/" not in html
    assert f"/safety/{plan.pk}/actions/new/" not in html


def test_a_read_page_answers_405_to_a_post_from_someone_in_the_circle(browse, officer, target):
    response = browse(officer).post(fill(ROUTES[2], target["ids"]))

    assert response.status_code == 405


def test_a_shared_agency_with_safety_planning_may_revise(
    browse, officer, shelter, shelter_worker, target
):
    from birge.cases import services as case_services

    plan = target["plan"]
    case = plan.case
    assessment_judgement(actor=officer, case=case, level="high", reason="Threats to kill.")
    case_services.case_share(
        actor=officer, case=case, agency=shelter, reason="She asked the shelter for a bed."
    )
    data = {**_post_data(shelter_worker, plan), "contacts": "Shelter's revision."}

    response = browse(shelter_worker).post(fill(ROUTES[3], target["ids"]), data)

    assert response.status_code == 302
    assert plan.revisions.first().contacts == "Shelter's revision."


def test_a_closed_case_keeps_its_plan_readable_but_unchangeable(browse, coordinator, target):
    from birge.cases import services as case_services

    plan = target["plan"]
    case_services.case_close(actor=coordinator, case=plan.case, reason="She moved abroad.")
    client = browse(coordinator)

    assert client.get(fill(ROUTES[2], target["ids"])).status_code == 200
    assert client.get(fill(ROUTES[3], target["ids"])).status_code == 403
