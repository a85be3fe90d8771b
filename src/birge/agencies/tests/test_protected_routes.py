"""Every page under /admin/ and /audit/ is invisible to people without the capability.

The list of routes is read from the URL resolver, so a route added later is covered too;
a route with a parameter this file does not know fails loudly until it is taught here.
Two pages are meant for more people and have tests of their own (test_directory,
test_protocol): the service directory and the co-operation protocol in force.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from birge.agencies.models import ProtocolVersion, Role, Service, ServiceKind

PROTECTED_PREFIXES = ("admin/", "audit/")
# Read by everyone who refers (the directory) or by every signed-in person (the protocol).
OPEN_ROUTES = {"admin/services/", "admin/protocol/"}
# An agency lead keeps her agency's services and may propose a protocol version.
LEAD_ROUTES = {"admin/services/new/", "admin/protocol/new/"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def protected_routes() -> list[str]:
    routes = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) in PROTECTED_PREFIXES:
            routes.extend(_walk(entry.url_patterns, str(entry.pattern)))
    return routes


ROUTES = protected_routes()


def test_the_route_list_is_not_empty():
    assert "admin/users/<id:user_id>/deactivate/" in ROUTES
    assert "audit/" in ROUTES
    assert len(ROUTES) >= 13


@pytest.fixture
def url_for(officer, police, other_agency, admin):
    """Fill a route's parameters with real objects, so a 404 means "hidden", not "missing".

    The service is another agency's (not the lead's); the protocol version is the
    administrator's draft, which no one else sees."""
    service = Service.objects.create(
        agency=other_agency, kind=ServiceKind.LEGAL_AID, name_az="x", name_ru="x", name_en="x"
    )
    draft = ProtocolVersion.objects.create(number=1, created_by=admin)
    values = {
        "user_id": officer.pk,
        "agency_id": police.pk,
        "region_id": police.region_id,
        "role_id": Role.objects.get(code="frontline_officer").pk,
        "service_id": service.pk,
        "number": draft.number,
    }

    def url_for(route: str) -> str:
        def value(match):
            name = match.group(1)
            assert name in values, f"teach test_protected_routes the parameter {name!r}"
            return str(values[name])

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)

    return url_for


@pytest.mark.parametrize("route", [r for r in ROUTES if r not in OPEN_ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("cast", ["outsider", "analyst", "officer"])
def test_people_without_the_capability_get_404(
    client, sign_in, url_for, route, method, cast, request
):
    sign_in(client, request.getfixturevalue(cast))
    response = getattr(client, method)(url_for(route), {"reason": "x", "capabilities": []})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if not r.startswith("admin/users/") and r not in OPEN_ROUTES | LEAD_ROUTES],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_agency_lead_gets_404_beyond_her_users(client, sign_in, lead, url_for, route, method):
    sign_in(client, lead)
    response = getattr(client, method)(url_for(route), {"capabilities": ["agencies.manage"]})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.startswith("admin/") and r not in OPEN_ROUTES]
)
def test_the_auditor_cannot_manage_anything(client, sign_in, auditor, url_for, route):
    sign_in(client, auditor)
    assert client.get(url_for(route)).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, route, method):
    url = url_for(route)
    response = getattr(client, method)(url, {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


def test_an_admin_with_a_password_but_no_second_factor_sees_nothing(client, admin):
    client.force_login(admin)
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")
