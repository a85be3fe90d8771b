"""The orders' pages and API from the outside: the whole life through the screens, field
messages for bad input, the API's idempotent creates and stale versions, and an agency
outside the case that gets 404 on every route."""

# ruff: noqa: F811 - the cast is imported as fixtures and named as parameters

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from birge.cases.models import Part
from birge.justice.models import OrderBreach, ProtectionOrder
from birge.justice.services import orders as services
from birge.justice.tests.factories import (  # noqa: F401 - the cast
    PLACES,
    _english,
    _known_keys,
    api,
    assess,
    bounds,
    browse,
    chair,
    chair_agency,
    coordinator,
    court,
    executive,
    incident_data,
    judge,
    local_authority,
    order_apply,
    order_case,
    order_in_force,
    series,
    shelter,
    social,
)

ROUTE_NAMES = [
    "order_detail",
    "order_issue",
    "order_refuse",
    "order_serve",
    "order_extend",
    "order_vary",
    "order_revoke",
    "breach_new",
]
API_STEPS = ["issue", "refuse", "serve", "extend", "vary", "revoke"]


@pytest.fixture
def breach(officer, coordinator, executive, order_case, local_authority):
    order = order_in_force(coordinator, executive, coordinator, order_case, agency=local_authority)
    return services.order_breach_record(actor=officer, order=order, incident=incident_data())


def test_the_life_of_an_order_through_the_screens(
    browse,
    coordinator,
    executive,
    order_case,
    local_authority,
):
    today = timezone.localdate()
    mine = browse(coordinator)
    perpetrator = order_case.participants.get(part=Part.PERPETRATOR).person
    page = mine.get(f"/cases/{order_case.pk}/").content.decode()
    assert "Protection orders" in page and f"/justice/cases/{order_case.pk}/orders/new/" in page

    response = mine.post(
        f"/justice/cases/{order_case.pk}/orders/new/",
        {
            "order_type": "short_term",
            "perpetrator": perpetrator.pk,
            "issuing_agency": local_authority.pk,
            "applicant": "police",
            "applied_on": today.isoformat(),
        },
    )
    order = ProtectionOrder.objects.get()
    assert response.status_code == 302 and response.url == f"/justice/orders/{order.pk}/"

    authority = browse(executive)
    detail = authority.get(response.url).content.decode()
    assert "Issue" in detail and "Short-term protection order" in detail
    _least, most = bounds("short_term")
    too_long = {
        "issued_on": today.isoformat(),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=most)).isoformat(),
        "conditions": ["no_contact", "keep_away"],
        "places": PLACES,
        "version": order.version,
    }
    refused = authority.post(f"/justice/orders/{order.pk}/issue/", too_long)
    assert refused.status_code == 400
    assert f"at most {most} days" in refused.content.decode()

    issued = authority.post(
        f"/justice/orders/{order.pk}/issue/",
        {**too_long, "ends_on": (today + timedelta(days=most - 1)).isoformat()},
    )
    assert issued.status_code == 302
    order.refresh_from_db()
    served = mine.post(
        f"/justice/orders/{order.pk}/serve/",
        {"served_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "version": order.version},
    )
    assert served.status_code == 302
    order.refresh_from_db()
    assert order.status == "in_force"

    page = mine.get(f"/cases/{order_case.pk}/").content.decode()
    assert "Served and in force" in page and "No contact with the victim" in page
    detail = mine.get(f"/justice/orders/{order.pk}/").content.decode()
    assert PLACES.split(" (")[0] in detail
    assert "Served on the perpetrator" in detail  # its history


def test_a_stale_form_answers_409(browse, coordinator, executive, order_case, local_authority):
    order = order_apply(coordinator, order_case, agency=local_authority)
    services.order_refuse(actor=executive, order=order, note="No grounds.")

    response = browse(executive).post(
        f"/justice/orders/{order.pk}/revoke/", {"note": "Again.", "version": 1}
    )

    assert response.status_code == 400
    assert "Only an order in force" in response.content.decode()


def test_bad_input_gets_field_messages_never_a_500(
    browse,
    api,
    coordinator,
    order_case,
    local_authority,
):
    page = browse(coordinator).post(
        f"/justice/cases/{order_case.pk}/orders/new/",
        {"order_type": "eternal", "perpetrator": "x", "applied_on": "yesterday"},
    )
    assert page.status_code == 400
    body = {"order_type": "eternal", "perpetrator": 2**70, "issuing_agency": -1}
    response = api(coordinator).post(
        f"/api/v1/cases/{order_case.pk}/orders/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"perpetrator", "issuing_agency", "applicant", "applied_on"} <= set(response.json())


def _api_apply(client, case, local_authority, key="k-1"):
    return client.post(
        f"/api/v1/cases/{case.pk}/orders/",
        {
            "order_type": "short_term",
            "perpetrator": case.participants.get(part=Part.PERPETRATOR).person_id,
            "issuing_agency": local_authority.pk,
            "applicant": "police",
            "applied_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_api_walks_the_order_and_its_creates_are_idempotent(
    api,
    coordinator,
    officer,
    executive,
    order_case,
    local_authority,
):
    client = api(coordinator)
    first = _api_apply(client, order_case, local_authority)
    again = _api_apply(client, order_case, local_authority)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert ProtectionOrder.objects.count() == 1
    order = first.json()

    today = timezone.localdate()
    issue = {
        "issued_on": today.isoformat(),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=9)).isoformat(),
        "conditions": ["keep_away"],
        "places": PLACES,
        "version": order["version"],
    }
    authority = api(executive)
    issued = authority.post(
        f"/api/v1/orders/{order['id']}/issue/", issue, content_type="application/json"
    )
    assert issued.status_code == 200, issued.json()
    assert issued.json()["places"] == PLACES
    stale = authority.post(
        f"/api/v1/orders/{order['id']}/vary/",
        {"conditions": ["no_contact"], "version": order["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    served = client.post(
        f"/api/v1/orders/{order['id']}/serve/",
        {"served_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert served.json()["status"] == "in_force"

    breach_body = {"occurred_on": today.isoformat(), "forms": ["physical"]}
    police = api(officer)
    breaches = [
        police.post(
            f"/api/v1/orders/{order['id']}/breaches/",
            breach_body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="breach-1",
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in breaches] == [201, 201]
    assert OrderBreach.objects.count() == 1
    listed = client.get(f"/api/v1/cases/{order_case.pk}/orders/").json()
    assert [o["id"] for o in listed] == [order["id"]]


def test_the_orders_are_in_the_openapi_schema(api, coordinator):
    schema = api(coordinator).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/cases/{case_id}/orders/" in paths
    assert "/api/v1/orders/{order_id}/breaches/" in paths
    for step in API_STEPS:
        assert f"/api/v1/orders/{{order_id}}/{step}/" in paths


def test_an_agency_outside_the_case_gets_404_on_every_route(
    browse,
    api,
    outsider,
    order_case,
    breach,
):
    order = breach.order
    web, client = browse(outsider), api(outsider)
    pages = [reverse(f"justice:{name}", args=[order.pk]) for name in ROUTE_NAMES]
    pages += [
        reverse("justice:order_new", args=[order_case.pk]),
        reverse("justice:breach_sanction", args=[order.pk, breach.pk]),
    ]
    for url in pages:
        assert web.get(url).status_code == 404, url
        assert web.post(url, {}).status_code == 404, url
    routes = [f"/api/v1/orders/{order.pk}/{step}/" for step in API_STEPS]
    routes += [
        f"/api/v1/cases/{order_case.pk}/orders/",
        f"/api/v1/orders/{order.pk}/breaches/",
        f"/api/v1/orders/{order.pk}/breaches/{breach.pk}/sanction/",
    ]
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{order_case.pk}/orders/").status_code == 404
    for url in routes:
        assert client.post(url, {}, content_type="application/json").status_code == 404, url


def test_the_coordinators_work_lists_an_expired_short_term_order_at_high_risk(
    browse,
    coordinator,
    officer,
    executive,
    assess,
    order_case,
    local_authority,
):
    from birge.jobs.orders import order_expiry

    order = order_in_force(
        coordinator, executive, coordinator, order_case, agency=local_authority, days=2
    )
    assess(officer, order_case, "threat_to_kill")
    order_expiry(timezone.now() + timedelta(days=3))

    home = browse(coordinator).get("/").content.decode()
    assert "Expired protection orders at high risk" in home
    assert f"/justice/orders/{order.pk}/" in home
    attention = browse(coordinator).get("/justice/orders/attention/").content.decode()
    assert order_case.reference in attention
    case_page = browse(coordinator).get(f"/cases/{order_case.pk}/").content.decode()
    assert "ask her whether she needs a long-term order" in case_page
