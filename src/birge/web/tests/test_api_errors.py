"""Every answer of the API is JSON, and no input makes it a server error.

Regressions: a body nested 1,000 deep answered 500 before sign-in; `before` beyond a
64-bit id answered 500 on SQLite; an unknown API path answered an HTML page.
"""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from birge.cases.tests.factories import register_case
from birge.web.api_fields import ID_MAX

LISTS = ["/api/v1/cases/", "/api/v1/referrals/", "/api/v1/conferences/actions/"]
TOO_LARGE = ["9223372036854775808", "99999999999999999999"]


@pytest.fixture
def api(officer):
    """A client with the officer's token, reading English."""
    _instance, token = AuthToken.objects.create(officer)
    return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _post(client, path: str, body: str):
    return client.post(path, body, content_type="application/json")


# --- Bodies the parser refuses -----------------------------------------------------------


def test_a_body_nested_a_thousand_deep_is_refused_before_sign_in(client, db):
    response = _post(client, "/api/v1/auth/token/", _nested(1000))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sorğu 32 səviyyədən dərin iç-içədir."}


def test_a_body_nested_a_thousand_deep_is_refused_after_sign_in(api):
    for path in ["/api/v1/cases/", "/api/v1/referrals/", "/api/v1/conferences/referrals/"]:
        response = _post(api, path, json.dumps({"victim": json.loads(_nested(400))}))
        assert response.status_code == 400, path
        response = _post(api, path, _nested(1000))
        assert response.status_code == 400, path


def test_nesting_up_to_the_limit_is_read_and_one_level_more_is_refused(client, db):
    def body(depth: int) -> str:
        # The object itself is the first level.
        return json.dumps({"username": "nobody", "password": "x", "extra": _nested(depth - 1)})

    read = _post(client, "/api/v1/auth/token/", body(32).replace('"[', "[").replace(']"', "]"))
    refused = _post(client, "/api/v1/auth/token/", body(33).replace('"[', "[").replace(']"', "]"))

    assert read.status_code == 400
    assert "non_field_errors" in read.json()  # read, then the sign-in refused
    assert refused.status_code == 400
    assert "32" in refused.json()["detail"]


@pytest.mark.parametrize("number", ["1" * 400, "1e999", "-1e999", "NaN", "Infinity"])
def test_absurd_numbers_are_refused_with_a_message(api, number):
    response = _post(api, "/api/v1/referrals/", f'{{"case": {number}, "summary": "x"}}')

    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_body_that_is_not_json_says_where_it_breaks(api):
    response = _post(api, "/api/v1/referrals/", '{"case": 1,')

    assert response.status_code == 400
    assert "line 1" in response.json()["detail"]


def test_the_parser_speaks_the_language_of_the_request(client, db):
    response = client.post(
        "/api/v1/auth/token/",
        _nested(1000),
        content_type="application/json",
        headers={"Accept-Language": "ru"},
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Вложенность запроса превышает 32 уровня."}


# --- Ids that no 64-bit column holds -------------------------------------------------------


@pytest.mark.parametrize("before", TOO_LARGE)
@pytest.mark.parametrize("path", LISTS)
def test_before_beyond_a_64_bit_id_is_a_field_error(api, path, before):
    response = api.get(path, {"before": before})

    assert response.status_code == 400
    assert response.json()["before"]


@pytest.mark.parametrize("path", LISTS)
def test_before_at_the_largest_id_is_a_page(api, officer, path):
    register_case(officer)

    response = api.get(path, {"before": str(ID_MAX)})

    assert response.status_code == 200
    assert set(response.json()) == {"results", "next_before"}


@pytest.mark.parametrize("path", LISTS)
def test_before_that_is_no_id_is_a_field_error(api, path):
    assert api.get(path, {"before": ""}).status_code == 200  # empty: the first page

    for before in ["abc", "0", "-5", "1.5", "1e3"]:
        response = api.get(path, {"before": before})
        assert response.status_code == 400, before
        assert response.json()["before"]


@pytest.mark.parametrize("value", [int(TOO_LARGE[1]), TOO_LARGE[1]])
def test_an_id_in_a_body_beyond_64_bits_is_a_field_error(api, officer, value):
    case = register_case(officer)

    refer = _post(api, "/api/v1/referrals/", json.dumps({"case": value, "summary": "x"}))
    share = _post(api, f"/api/v1/cases/{case.pk}/share/", json.dumps({"agency": value}))

    assert refer.status_code == 400
    assert refer.json()["case"]
    assert share.status_code == 400
    assert share.json()["agency"]


# --- Every error is JSON ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/cases/1/nope/", "/api/nope"])
def test_an_unknown_api_path_is_a_json_404(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Tapılmadı."}  # Azerbaijani, as everything by default


def test_an_unknown_api_path_is_a_json_404_in_the_language_asked_for(api):
    response = api.get("/api/v1/nope/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_is_still_a_page(client, db):
    response = client.get("/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_route_does_not_serve_is_a_json_405(api):
    response = api.delete("/api/v1/me/")

    assert response.status_code == 405
    assert response.json()["detail"]


def test_a_body_that_is_not_json_is_a_json_415(api):
    response = api.post("/api/v1/referrals/", "case=1", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["detail"]


def test_asking_for_html_is_a_json_406(api):
    response = api.get("/api/v1/me/", headers={"Accept": "text/html"})

    assert response.status_code == 406
    assert response.json()["detail"]


def test_a_server_error_under_the_api_is_json(officer, monkeypatch):
    def fail(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr("birge.agencies.api.MeView.get", fail)
    _instance, token = AuthToken.objects.create(officer)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get("/api/v1/me/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


# --- The schema tells the truth ------------------------------------------------------------


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def _resolve(schema: dict, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize("path", LISTS)
def test_every_keyset_list_is_documented_as_a_page(schema, path):
    operation = schema["paths"][path]["get"]
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = _resolve(schema, page) if "$ref" in page else page
    before = [p for p in operation["parameters"] if p["name"] == "before"]

    assert page["type"] == "object"
    assert set(page["required"]) == {"results", "next_before"}
    assert page["properties"]["results"]["type"] == "array"
    assert page["properties"]["next_before"]["nullable"] is True
    assert before[0]["schema"]["maximum"] == ID_MAX


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if operation.get("security") != [{}] and path != "/api/v1/auth/token/":
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "415"} <= codes, (method, path)


def test_stale_writes_are_documented(schema):
    case = schema["paths"]["/api/v1/cases/{case_id}/"]["patch"]["responses"]
    withdraw = schema["paths"]["/api/v1/referrals/{referral_id}/withdraw/"]["post"]["responses"]

    assert {"412", "428"} <= set(case)
    assert "409" in withdraw


def test_the_schema_passes_spectacular_validation_without_warnings(tmp_path, db):
    # SchemaGenerationError on any warning or an invalid OpenAPI document.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")

    assert (tmp_path / "api.yaml").read_text().startswith("openapi:")
