import re

import pytest
from knox.models import AuthToken

from birge.agencies.models import Agency
from birge.agencies.selectors import user_capabilities

PROTECTED = ["/api/v1/me/", "/api/v1/agencies/"]


@pytest.fixture
def api(client, officer):
    """A client that sends the officer's token with every request."""
    _instance, token = AuthToken.objects.create(officer)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


@pytest.mark.parametrize("path", PROTECTED)
def test_it_answers_401_without_a_token(client, db, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


@pytest.mark.parametrize("path", PROTECTED)
def test_it_answers_401_with_a_made_up_token(client, officer, path):
    response = client.get(path, headers={"Authorization": "Token " + "a" * 64})

    assert response.status_code == 401


@pytest.mark.parametrize("path", PROTECTED)
def test_a_signed_in_browser_session_does_not_open_the_api(client, officer, sign_in, path):
    # Only tokens open the API: a page on another site cannot ride on the session cookie.
    sign_in(client, officer)

    assert client.get(path).status_code == 401


def test_me_tells_the_person_her_agency_roles_and_capabilities(api, officer, police):
    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == officer.username
    assert body["agency"]["code"] == police.code
    assert body["agency"]["name_ru"] == police.name_ru
    assert body["roles"] == sorted(officer.roles.values_list("code", flat=True))
    assert body["capabilities"] == sorted(user_capabilities(officer))
    assert body["capabilities"]


def test_me_answers_for_the_token_holder_only(client, officer, lead):
    _i, officers = AuthToken.objects.create(officer)
    _i, leads = AuthToken.objects.create(lead)

    me = client.get("/api/v1/me/", headers={"Authorization": f"Token {leads}"}).json()

    assert me["username"] == "lead"
    assert me["roles"] == ["agency_lead"]
    assert "users.manage" in me["capabilities"]
    assert officers != leads


def test_agencies_lists_every_agency(api, police, other_agency):
    response = api.get("/api/v1/agencies/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Agency.objects.count()
    assert {a["code"] for a in body["results"]} == set(
        Agency.objects.values_list("code", flat=True)
    )


def test_one_agency_can_be_read(api, other_agency):
    response = api.get(f"/api/v1/agencies/{other_agency.pk}/")

    assert response.status_code == 200
    assert response.json()["code"] == other_agency.code


def test_a_missing_agency_is_a_json_404(api, police):
    response = api.get(f"/api/v1/agencies/{police.pk + 1000}/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_me_cannot_be_written(api):
    response = api.post("/api/v1/me/", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["detail"]


def test_api_answers_are_json_even_when_the_browser_asks_for_html(api):
    response = api.get("/api/v1/me/", headers={"Accept": "text/html"})

    assert response.status_code in (200, 406)
    assert "text/html" not in response["Content-Type"]


# --- The published description ----------------------------------------------------------


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3(schema):
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] == "Birge API"


def test_the_schema_lists_the_endpoints(schema):
    paths = schema["paths"]

    assert "post" in paths["/api/v1/auth/token/"]
    assert "post" in paths["/api/v1/auth/token/revoke/"]
    assert "get" in paths["/api/v1/me/"]
    assert "get" in paths["/api/v1/agencies/"]
    assert "get" in paths["/api/v1/agencies/{id}/"]


def test_the_schema_describes_the_token_request(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = body.rsplit("/", 1)[-1]
    fields = schema["components"]["schemas"][name]

    assert set(fields["required"]) == {"username", "password"}
    assert "code" in fields["properties"]
    assert "201" in operation["responses"]


def test_the_schema_says_how_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]

    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )


def test_the_schema_is_yaml_by_default(client, db):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_the_docs_page_opens_and_works_under_the_policy(client, db):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
