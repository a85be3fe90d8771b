"""Who may reach the risk pages. Outside the circle a case's assessments do not exist: every
risk route of a case answers 404, GET and POST, as for one that was never there. The routes
come from the URL resolver, so a route added later is covered without anyone adding it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from birge.access.tests.refusals import only_refusals
from birge.cases.models import Case
from birge.cases.tests.routes import fill, parameters
from birge.risk.models import RiskAssessment

NEVER = 999999


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def risk_routes() -> list[str]:
    """Routes of the `risk` namespace, as "cases/<id:case_id>/risk/new/"."""
    routes = [
        route
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "risk"
        for route in _walk(entry.url_patterns, str(entry.pattern))
    ]
    assert routes, "no `risk` namespace in the URL configuration"
    return routes


ROUTES = risk_routes()
CASE_ROUTES = sorted(r for r in ROUTES if "case_id" in parameters(r))


def test_the_route_list_holds_every_risk_route_of_a_case():
    assert set(CASE_ROUTES) >= {
        "cases/<id:case_id>/risk/new/",
        "cases/<id:case_id>/risk/<id:assessment_id>/",
        "cases/<id:case_id>/risk/<id:assessment_id>/edit/",
        "cases/<id:case_id>/risk/<id:assessment_id>/submit/",
        "cases/<id:case_id>/risk/<id:assessment_id>/approve/",
        "cases/<id:case_id>/risk/<id:assessment_id>/correct/",
    }
    assert {"risk/reassessments/", "risk/instruments/"} <= set(ROUTES)


@pytest.fixture
def target(officer, coordinator, case, assess):
    """Agency A's case with a submitted assessment and a draft of the coordinator's."""
    submitted = assess(coordinator, case, "threat_to_kill")
    draft = assess(coordinator, case, "weapon", submit=False)
    case.refresh_from_db()
    return {
        "case": case,
        "assessments": [submitted, draft],
        "ids": {"case_id": case.pk, "assessment_id": draft.pk},
        "submitted_ids": {"case_id": case.pk, "assessment_id": submitted.pk},
    }


def _post_data():
    """What a determined person would post: enough for any form behind these routes."""
    return {
        "final_level": "standard",
        "judgement_reason": "I think the risk is lower than that, really.",
        "victim_fear": "not_afraid",
        "item_threat_to_kill": "no",
        "item_weapon": "no",
    }


def _state(target):
    case = Case.objects.get(pk=target["case"].pk)
    return (
        case.version,
        case.risk_level,
        case.reassessment_due_at,
        sorted(
            (a.pk, a.status, a.final_level, tuple(sorted(a.answers.items())), a.corrects_id)
            for a in RiskAssessment.objects.filter(case=case)
        ),
    )


def _check_404_everywhere(client, user, target, route, method):
    before = _state(target)
    for ids in (target["ids"], target["submitted_ids"]):
        response = getattr(client, method)(fill(route, ids), _post_data())
        assert response.status_code == 404, fill(route, ids)
    never = fill(route, dict.fromkeys(parameters(route), NEVER))
    assert getattr(client, method)(never, _post_data()).status_code == 404
    assert _state(target) == before
    assert only_refusals(user)


@pytest.mark.parametrize("route", CASE_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_every_risk_route_of_a_case(
    browse, outsider, target, route, method
):
    _check_404_everywhere(browse(outsider), outsider, target, route, method)


@pytest.mark.parametrize("route", [*CASE_ROUTES, "risk/reassessments/", "risk/instruments/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_analyst_gets_404_on_every_risk_route(browse, analyst, target, route, method):
    _check_404_everywhere(browse(analyst), analyst, target, route, method)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_the_instruments_page(browse, outsider, method):
    assert getattr(browse(outsider), method)("/risk/instruments/").status_code == 404


def test_the_outsider_gets_404_on_the_assessment_page_with_an_instrument_chosen(
    browse, outsider, target, checklist
):
    url = f"/cases/{target['case'].pk}/risk/new/?instrument={checklist.pk}"

    assert browse(outsider).get(url).status_code == 404


def test_an_assessment_of_another_case_is_not_found_under_this_one(
    browse, officer, coordinator, target
):
    """The assessment id must belong to the case in the address."""
    from birge.cases.tests.factories import register_case

    other = register_case(officer)
    assessment = target["assessments"][0]

    response = browse(coordinator).get(f"/cases/{other.pk}/risk/{assessment.pk}/")

    assert response.status_code == 404


def test_a_frontline_officer_of_the_same_agency_assesses(
    browse, officer, target, checklist, answers, form_data
):
    client = browse(officer)
    url = f"/cases/{target['case'].pk}/risk/new/?instrument={checklist.pk}"
    assert client.get(url).status_code == 200

    response = client.post(url, form_data(answers("weapon")))

    assert response.status_code == 302
    mine = RiskAssessment.objects.get(assessed_by=officer)
    assert mine.agency_id == officer.agency_id
    assert mine.computed_level == "high"


def test_the_agency_lead_reads_assessments_but_does_not_assess(
    browse, lead, target, checklist, answers, form_data
):
    client = browse(lead)
    case = target["case"]
    submitted = target["assessments"][0]
    before = RiskAssessment.objects.count()

    assert client.get(f"/cases/{case.pk}/risk/{submitted.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/risk/new/").status_code == 404
    url = f"/cases/{case.pk}/risk/new/?instrument={checklist.pk}"
    assert client.post(url, form_data(answers())).status_code == 404
    assert client.post(f"/cases/{case.pk}/risk/{submitted.pk}/correct/").status_code == 404
    assert RiskAssessment.objects.count() == before
    # The risk section offers no "Assess the risk" button to her.
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'class="button" href="/cases/{case.pk}/risk/new/"' not in page


def test_the_case_page_offers_assessment_to_who_may_assess(browse, officer, target):
    case = target["case"]

    page = browse(officer).get(f"/cases/{case.pk}/").content.decode()

    assert f'class="button" href="/cases/{case.pk}/risk/new/"' in page


def test_the_administrator_does_not_see_cases_or_their_assessments(browse, admin, target):
    case = target["case"]

    assert browse(admin).get(f"/cases/{case.pk}/risk/new/").status_code == 404
    assert (
        browse(admin).get(f"/cases/{case.pk}/risk/{target['ids']['assessment_id']}/").status_code
        == 404
    )
