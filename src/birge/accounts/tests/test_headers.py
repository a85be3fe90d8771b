import re

import pytest
from knox.models import AuthToken

# Pages a signed-in administrator opens, and one that does not exist.
PAGES = [
    "/",
    "/account/",
    "/account/password/",
    "/admin/users/",
    "/admin/agencies/",
    "/admin/roles/",
    "/no-such-page/",
]


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture
def admin_client(client, admin, sign_in):
    return sign_in(client, admin)


@pytest.mark.parametrize("path", PAGES)
def test_signed_in_pages_are_never_cached(admin_client, path):
    response = admin_client.get(path)

    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_a_redirect_of_a_signed_in_person_is_never_cached(client, officer, password_sign_in):
    password_sign_in(client, officer)

    response = client.get("/")

    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_a_form_answer_of_a_signed_in_person_is_never_cached(admin_client):
    response = admin_client.post("/account/password/", {"old_password": "not it"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_never_cached(client, officer):
    _instance, token = AuthToken.objects.create(officer)

    for response in (
        client.get("/api/v1/me/", headers={"Authorization": f"Token {token}"}),
        client.get("/api/v1/me/"),
    ):
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_forbid_inline_scripts(admin_client, path):
    response = admin_client.get(path)

    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_sign_in_page_has_the_same_policy(client, db):
    response = client.get("/account/login/")

    assert _csp(response)["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["/account/login/", "/", "/account/", "/admin/users/", "/account/password/"]
)
def test_pages_work_under_their_own_policy(admin_client, path):
    if path == "/account/login/":
        admin_client.post("/account/logout/")
    html = admin_client.get(path).content.decode()

    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_two_factor_set_up_page_works_under_its_own_policy(client, officer, password_sign_in):
    password_sign_in(client, officer)

    html = client.get("/account/two-factor/setup/").content.decode()

    assert "<svg" in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag


@pytest.mark.parametrize("path", PAGES)
def test_pages_cannot_be_framed(admin_client, path):
    assert admin_client.get(path)["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/account/login/", "/", "/api/v1/me/", "/no-such-page/"])
def test_every_answer_has_its_own_request_id(client, db, path):
    first = client.get(path)
    second = client.get(path)

    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_request_id_is_the_one_in_the_audit_log(client, officer, password_sign_in):
    from birge.audit.models import AuditEvent

    response = password_sign_in(client, officer)

    assert AuditEvent.objects.get(action="auth.login").request_id == response["X-Request-ID"]


def test_answers_tell_browsers_not_to_guess_types_or_leak_addresses(admin_client):
    response = admin_client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
