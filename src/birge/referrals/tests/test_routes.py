"""Who may reach the referral routes. A referral exists only for its case's circle and for
the agency it was sent to: everyone else gets 404 on every route, GET and POST, as for a
referral that was never there. The routes come from the URL resolver, so a route added
later is covered without anyone adding it here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from birge.access.tests.refusals import only_refusals
from birge.audit.models import AuditEvent
from birge.cases.tests.routes import fill, parameters
from birge.referrals.models import Referral

NEVER = 999999
URLCONF = "birge.urls"


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def referral_routes() -> list[str]:
    """The `referrals` namespace's routes and the referrals API's, as "referrals/<id:…>/"."""
    routes = []
    for entry in get_resolver(URLCONF).url_patterns:
        if not isinstance(entry, URLResolver):
            continue
        if entry.namespace == "referrals":
            routes += _walk(entry.url_patterns, str(entry.pattern))
        elif str(entry.pattern) == "api/v1/":
            routes += [r for r in _walk(entry.url_patterns, "api/v1/") if "referrals/" in r]
        elif str(entry.pattern) == "api/v1/referrals/":
            routes += _walk(entry.url_patterns, "api/v1/referrals/")
    return sorted(set(routes))


ROUTES = referral_routes()
OBJECT_ROUTES = [r for r in ROUTES if parameters(r)]


def test_the_route_list_holds_every_referral_route():
    assert set(ROUTES) >= {
        "referrals/",
        "referrals/new/<id:case_id>/",
        "referrals/<id:referral_id>/",
        "referrals/<id:referral_id>/accept/",
        "referrals/<id:referral_id>/decline/",
        "referrals/<id:referral_id>/start/",
        "referrals/<id:referral_id>/complete/",
        "referrals/<id:referral_id>/withdraw/",
        "referrals/<id:referral_id>/send/",
        "api/v1/referrals/",
        "api/v1/referrals/<id:referral_id>/",
        "api/v1/referrals/<id:referral_id>/accept/",
        "api/v1/referrals/<id:referral_id>/withdraw/",
    }


@pytest.fixture
def target(officer, coordinator, shelter_worker, high_risk_case, refer):
    """Referrals of agency A's high-risk case in every stage but the last."""
    from birge.referrals import services

    draft = refer(officer, high_risk_case, send=False)
    sent = refer(officer, high_risk_case)
    accepted = refer(officer, high_risk_case)
    services.referral_accept(actor=shelter_worker, referral=accepted)
    return {"case": high_risk_case, "referrals": [draft, sent, accepted]}


def _state(target):
    return sorted(
        Referral.objects.filter(case=target["case"]).values_list("pk", "status", "version")
    )


def _post_data():
    """What a determined person would post: enough for any form behind these routes."""
    return {"reason": "Because I say so.", "summary": "Take her.", "version": "1", "service": 1}


def _values(route, target, referral):
    return {"case_id": target["case"].pk, "referral_id": referral.pk}


def _check_404_everywhere(client, user, target, route, method):
    before = _state(target)
    for referral in target["referrals"]:
        url = fill(route, _values(route, target, referral))
        if url.startswith("/api/"):
            response = getattr(client["api"], method)(
                url, _post_data(), content_type="application/json"
            )
        else:
            response = getattr(client["web"], method)(url, _post_data())
        assert response.status_code == 404, (method, url)
    never = fill(route, dict.fromkeys(parameters(route), NEVER))
    web_or_api = client["api"] if never.startswith("/api/") else client["web"]
    assert getattr(web_or_api, method)(never).status_code == 404
    assert _state(target) == before
    assert only_refusals(user)


@pytest.fixture
def clients(browse, api):
    return lambda user: {"web": browse(user), "api": api(user)}


@pytest.mark.parametrize("route", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_outsider_gets_404_on_every_referral_route(clients, outsider, target, route, method):
    """A third agency (the Ganja police) may receive referrals, but not these."""
    _check_404_everywhere(clients(outsider), outsider, target, route, method)


@pytest.mark.parametrize("route", OBJECT_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_analyst_gets_404_on_every_referral_route(clients, analyst, target, route, method):
    _check_404_everywhere(clients(analyst), analyst, target, route, method)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_analyst_has_no_referral_inbox(browse, analyst, method):
    assert getattr(browse(analyst), method)("/referrals/").status_code == 404


def test_the_outsiders_lists_hold_none_of_them(browse, api, outsider, target):
    page = browse(outsider).get("/referrals/").content.decode()
    listed = api(outsider).get("/api/v1/referrals/").json()

    for referral in target["referrals"]:
        assert f"/referrals/{referral.pk}/" not in page
    assert listed["results"] == []


def test_the_receiving_agency_sees_the_referral_but_not_the_case_before_acceptance(
    browse, api, officer, shelter_worker, high_risk_case, refer
):
    sent = refer(officer, high_risk_case)
    case = high_risk_case
    client = browse(shelter_worker)

    page = client.get(f"/referrals/{sent.pk}/")
    detail = api(shelter_worker).get(f"/api/v1/referrals/{sent.pk}/").json()

    assert page.status_code == 200
    html = page.content.decode()
    assert "Aysel" in html and "High" in html and "threat" in html.lower()
    assert f'href="/cases/{case.pk}/"' not in html
    assert detail["victim_first_name"] == "Aysel"
    assert detail["risk_level"] == "high" and detail["risk_reasons"]
    assert detail["case_visible"] is False and detail["actions"] == ["accept", "decline"]
    # Nothing else of the case: not its page, not its API, not its risk pages.
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert api(shelter_worker).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get(f"/referrals/new/{case.pk}/").status_code == 404
    # The read is logged.
    assert AuditEvent.objects.filter(
        actor=shelter_worker, action="referral.viewed", data__referral=sent.pk
    ).exists()


def test_a_draft_is_not_the_receiving_agencys_to_see(browse, officer, shelter_worker, case, refer):
    draft = refer(officer, case, send=False)

    assert browse(shelter_worker).get(f"/referrals/{draft.pk}/").status_code == 404
    for action in ("accept", "decline"):
        assert browse(shelter_worker).post(f"/referrals/{draft.pk}/{action}/").status_code == 404


def test_a_sealed_case_hides_its_referrals_from_the_receiving_agency(
    browse, coordinator, shelter, shelter_worker, officer, case, refer
):
    from birge.cases.services import case_seal

    referral = refer(officer, case)
    case_seal(actor=coordinator, case=case, reason="He works in the police.", users=[officer])

    assert browse(shelter_worker).get(f"/referrals/{referral.pk}/").status_code == 404


def test_a_colleague_in_the_circle_sees_the_referral(browse, lead, target):
    sent = target["referrals"][1]

    page = browse(lead).get(f"/referrals/{sent.pk}/")

    assert page.status_code == 200
    assert f'href="/cases/{target["case"].pk}/"' in page.content.decode()


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_post_only_routes_look_the_referral_up_first(browse, outsider, officer, target, method):
    sent = target["referrals"][1]
    url = f"/referrals/{sent.pk}/accept/"

    assert getattr(browse(outsider), method)(url).status_code == 404
    assert getattr(browse(officer), method)(url).status_code == 405
