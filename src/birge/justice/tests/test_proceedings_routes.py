"""Outside the case's circle, proceedings and programmes do not exist: every page and API
route of them, read from the URL resolver, answers 404 to every method — even to a justice
agency that may record proceedings elsewhere — and anonymous visitors are sent to sign in."""

import pytest
from django.test import Client
from django.urls import get_resolver
from knox.models import AuthToken

from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    shelter,
    shelter_worker,
)
from birge.cases.tests.routes import PARAMETER, _walk
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the cast
    investigator,
    justice_case,
    justice_outsider,
    proceeding,
    programme,
    prosecution,
    prosecutor,
    provider,
    social,
    social_coordinator,
)

MINE = ("proceeding", "programme")


def _routes() -> list[str]:
    routes = [r for r in _walk(get_resolver().url_patterns) if any(m in r for m in MINE)]
    return sorted(r for r in routes if r.startswith(("justice/", "api/v1/")))


ROUTES = _routes()


def test_the_route_list_has_every_page_and_api_route():
    assert len([r for r in ROUTES if r.startswith("justice/")]) == 4
    assert len([r for r in ROUTES if r.startswith("api/")]) == 7


@pytest.fixture
def url_for(justice_case, proceeding, programme):
    ids = {"case_id": justice_case.pk, "proceeding_id": proceeding.pk, "programme_id": programme.pk}

    def url_for(route: str) -> str:
        return "/" + PARAMETER.sub(lambda m: str(ids[m.group(1)]), route)

    return url_for


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("cast", ["outsider", "justice_outsider"])
def test_an_agency_outside_the_circle_gets_404(browse, url_for, route, method, cast, request):
    user = request.getfixturevalue(cast)
    if route.startswith("api/"):
        _, token = AuthToken.objects.create(user)
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    else:
        client = browse(user)
    body = {"stage": "charge", "began_on": "2026-01-01", "sessions_attended": 1}

    response = getattr(client, method)(url_for(route), body, content_type="application/json")

    assert response.status_code == 404


@pytest.mark.parametrize("route", [r for r in ROUTES if r.startswith("justice/")])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, route):
    response = client.get(url_for(route))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
