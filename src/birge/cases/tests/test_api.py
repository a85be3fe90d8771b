"""The cases API: same policy as the pages, ETags against lost updates, idempotent creates."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from birge.audit.models import AuditEvent
from birge.cases.models import Case
from birge.cases.tests.factories import consent_for, register_case


def _body(**overrides) -> dict:
    body = {
        "victim": {
            "first_name": "Günel",
            "last_name": "Əliyeva",
            "birth_date": "1992-03-04",
            "phone": "+994 55 222 33 44",
            "address": "Xətai rayonu, 12",
        },
        "perpetrator": {"first_name": "Rauf", "last_name": "Əliyev"},
        "relationship": "spouse",
        "incident": {"occurred_on": "2026-11-01", "forms": ["physical"]},
    }
    body.update(overrides)
    return body


def _incident(occurred_on: str, forms: list[str] | None = None) -> dict:
    return {"occurred_on": occurred_on, "forms": ["physical"] if forms is None else forms}


def _case_routes(case_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/api/v1/cases/{case_id}/"),
        ("patch", f"/api/v1/cases/{case_id}/"),
        ("get", f"/api/v1/cases/{case_id}/incidents/"),
        ("post", f"/api/v1/cases/{case_id}/incidents/"),
        ("post", f"/api/v1/cases/{case_id}/consents/"),
        ("post", f"/api/v1/cases/{case_id}/share/"),
    ]


def test_an_officer_registers_a_case_and_reads_it_back(api, officer):
    client = api(officer)

    response = client.post("/api/v1/cases/", _body(), content_type="application/json")

    assert response.status_code == 201
    case_id = response.json()["id"]
    assert response["Location"] == f"/api/v1/cases/{case_id}/"
    detail = client.get(f"/api/v1/cases/{case_id}/").json()
    victim = next(p for p in detail["participants"] if p["part"] == "victim")
    assert (victim["first_name"], victim["last_name"]) == ("Günel", "Əliyeva")
    assert detail["reference"].startswith("BRG-")


def test_the_same_idempotency_key_returns_the_first_case(api, officer):
    client = api(officer)
    first = client.post(
        "/api/v1/cases/", _body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    again = client.post(
        "/api/v1/cases/", _body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.count() == 1


def test_without_a_key_a_repeated_create_makes_two_cases(api, officer):
    client = api(officer)
    client.post("/api/v1/cases/", _body(), content_type="application/json")
    client.post("/api/v1/cases/", _body(), content_type="application/json")

    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field_path"),
    [
        ({"victim": {"first_name": ""}}, ("victim", "first_name")),
        ({"victim": {"first_name": "A", "birth_date": "2999-01-01"}}, ("victim", "birth_date")),
        ({"victim": {"first_name": "A", "phone": "call me"}}, ("victim", "phone")),
        ({"incident": {"occurred_on": "2026-01-01", "forms": []}}, ("incident", "forms")),
        (
            {"incident": {"occurred_on": "2999-01-01", "forms": ["physical"]}},
            ("incident", "occurred_on"),
        ),
        (
            {"incident": {"occurred_on": "not a date", "forms": ["physical"]}},
            ("incident", "occurred_on"),
        ),
        (
            {"incident": {"occurred_on": "2026-01-01", "forms": ["teleportation"]}},
            ("incident", "forms"),
        ),
    ],
)
def test_bad_input_gets_field_messages_and_stores_nothing(api, officer, body, field_path):
    response = api(officer).post("/api/v1/cases/", _body(**body), content_type="application/json")

    assert response.status_code == 400
    errors = response.json()
    for key in field_path:
        errors = errors[key]
    assert errors, response.json()
    assert Case.objects.count() == 0


def test_an_incident_before_the_victims_birth_is_refused(api, officer):
    body = _body(incident={"occurred_on": "1990-01-01", "forms": ["physical"]})

    response = api(officer).post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 400
    assert "occurred_on" in response.json()["incident"]


@pytest.mark.parametrize("raw", ["{{{", "[]", '"text"', "null", "x" * 5000])
def test_malformed_json_is_a_400_not_a_500(api, officer, raw):
    response = api(officer).post("/api/v1/cases/", raw, content_type="application/json")

    assert response.status_code == 400


def test_messages_come_in_the_language_the_client_asks_for(officer):
    _, token = AuthToken.objects.create(officer)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="ru")

    response = client.post(
        "/api/v1/cases/", _body(victim={"first_name": ""}), content_type="application/json"
    )

    assert response["Content-Language"] == "ru"
    assert response.json()["victim"]["first_name"] == ["Это поле не может быть пустым."]


def test_a_patch_without_the_etag_is_refused(api, coordinator, case):
    response = api(coordinator).patch(
        f"/api/v1/cases/{case.pk}/",
        {"coordinator": coordinator.pk},
        content_type="application/json",
    )

    assert response.status_code == 428
    case.refresh_from_db()
    assert case.coordinator is None


def test_a_stale_etag_is_refused_and_nothing_is_overwritten(api, coordinator, case):
    mine, theirs = api(coordinator), api(coordinator)
    etag = mine.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    first = theirs.patch(
        f"/api/v1/cases/{case.pk}/",
        {"coordinator": coordinator.pk},
        content_type="application/json",
        HTTP_IF_MATCH=theirs.get(f"/api/v1/cases/{case.pk}/")["ETag"],
    )

    second = mine.patch(
        f"/api/v1/cases/{case.pk}/",
        {"coordinator": None},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )

    assert first.status_code == 200
    assert second.status_code == 412
    case.refresh_from_db()
    assert case.coordinator == coordinator


def test_a_fresh_etag_lets_the_change_through_and_moves_the_etag_on(api, coordinator, case):
    client = api(coordinator)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]

    response = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"coordinator": coordinator.pk},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200
    assert response.json()["coordinator"] == coordinator.pk
    assert response["ETag"] != etag


@pytest.mark.parametrize(
    "body",
    [
        {"risk_level": "standard", "risk_reason": "She seems calmer now."},
        {"risk_level": "critical"},
        {"coordinator": None, "risk_level": "medium"},
    ],
)
def test_a_patch_cannot_set_the_risk_level_and_says_where_to_post_it(api, coordinator, case, body):
    client = api(coordinator)
    etag = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]

    response = client.patch(
        f"/api/v1/cases/{case.pk}/", body, content_type="application/json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 400
    assert response.json()["risk_level"] == [
        "The risk level is not changed here: POST the level and its reason to "
        f"/api/v1/cases/{case.pk}/risk-level/."
    ]
    case.refresh_from_db()
    assert (case.risk_level, case.version) == ("", int(etag.strip('"').split("-")[1]))


def test_every_api_read_of_a_case_is_audited(api, coordinator, case):
    api(coordinator).get(f"/api/v1/cases/{case.pk}/")

    event = AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).latest("id")
    assert event.actor == coordinator
    assert event.data["channel"] == "api"


@pytest.mark.parametrize("method_path", range(6))
def test_the_outsider_gets_404_on_every_case_endpoint(api, outsider, case, method_path):
    method, path = _case_routes(case.pk)[method_path]

    response = getattr(api(outsider), method)(path, {}, content_type="application/json")

    assert response.status_code == 404


@pytest.mark.parametrize("method_path", range(6))
def test_the_analyst_gets_404_on_every_case_endpoint(api, analyst, case, method_path):
    method, path = _case_routes(case.pk)[method_path]

    response = getattr(api(analyst), method)(path, {}, content_type="application/json")

    assert response.status_code == 404


def test_the_outsider_finds_nothing_in_the_list_or_by_search(api, outsider, case):
    client = api(outsider)

    assert client.get("/api/v1/cases/").json()["results"] == []
    assert client.get("/api/v1/cases/", {"q": case.reference}).json()["results"] == []


def test_without_a_token_every_case_endpoint_is_401(case):
    for method, path in [("get", "/api/v1/cases/"), *_case_routes(case.pk)]:
        response = getattr(Client(), method)(path, {}, content_type="application/json")
        assert response.status_code == 401, path


def test_the_address_is_withheld_from_an_agency_without_location_consent(
    api, officer, coordinator, shelter, shelter_worker
):
    case = register_case(officer, consent=consent_for(shelter, location=False))
    api(coordinator).post(
        f"/api/v1/cases/{case.pk}/share/", {"agency": shelter.pk}, content_type="application/json"
    )

    detail = api(shelter_worker).get(f"/api/v1/cases/{case.pk}/").json()

    victim = next(p for p in detail["participants"] if p["part"] == "victim")
    assert victim["address"] is None
    assert victim["first_name"]


def test_sharing_without_consent_or_high_risk_is_refused_with_a_message(
    api, coordinator, case, shelter
):
    response = api(coordinator).post(
        f"/api/v1/cases/{case.pk}/share/", {"agency": shelter.pk}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "agency" in response.json()


def test_the_list_costs_the_same_queries_for_3_and_for_30_cases(api, officer):
    client = api(officer)
    for _ in range(3):
        register_case(officer)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/")
    for _ in range(27):
        register_case(officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/cases/")

    assert len(response.json()["results"]) == 30
    assert len(many) == len(few)


def test_the_schema_lists_the_case_endpoints(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    assert "/api/v1/cases/" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/cases/{case_id}/"]
