"""Junk in forms and addresses gets a clear answer, never a server error."""

import pytest

from birge.agencies.models import Agency, User

LONG = "ж" * 5000


def _new_user(police, **fields):
    return {
        "username": "new.worker",
        "first_name": "Leyla",
        "last_name": "Sadıqova",
        "email": "new.worker@example.invalid",
        "agency": police.pk,
        **fields,
    }


@pytest.mark.parametrize(
    ("field", "junk"),
    [
        ("username", LONG),
        ("username", "has spaces and / slashes"),
        ("first_name", LONG),
        ("last_name", LONG),
        ("email", LONG + "@example.invalid"),
        ("email", "not an address"),
        ("agency", "abc"),
        ("agency", "99999999999999999999999"),
        ("agency", ""),
        ("roles", "abc"),
        ("roles", "99999999999999999999999"),
    ],
)
def test_junk_in_the_new_user_form_gets_a_field_message(
    english, sign_in, admin, police, field, junk
):
    sign_in(english, admin)
    response = english.post("/admin/users/new/", _new_user(police, **{field: junk}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.filter(email="new.worker@example.invalid").exists()


@pytest.mark.parametrize(
    ("field", "junk"),
    [("first_name", LONG), ("email", "@"), ("roles", "abc"), ("roles", "99999999999999999999999")],
)
def test_junk_in_the_user_edit_form_gets_a_field_message(
    english, sign_in, lead, officer, field, junk
):
    sign_in(english, lead)
    data = {"first_name": "Aysel", "last_name": "Quliyeva", "email": "a@example.invalid"}
    response = english.post(f"/admin/users/{officer.pk}/", {**data, field: junk})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    officer.refresh_from_db()
    assert officer.email != "a@example.invalid"


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999999999"},
        {"q": LONG},
        {"q": "\x00"},
        {"q": "%' OR 1=1 --"},
    ],
)
def test_junk_in_the_users_list_address_still_shows_the_list(client, sign_in, lead, officer, query):
    sign_in(client, lead)
    response = client.get("/admin/users/", query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "outsider" not in {u.username for u in response.context["page"].object_list}


def test_a_sql_lookalike_search_finds_nothing(client, sign_in, lead, officer):
    sign_in(client, lead)
    response = client.get("/admin/users/", {"q": "%' OR 1=1 --"})
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/abc/",
        "/admin/users/99999999999999999999999/",
        "/admin/users/-1/",
        "/admin/agencies/99999999999999999999999/",
        "/admin/roles/99999999999999999999999/",
        "/admin/users/99999999999999999999999/deactivate/",
        "/admin/users/99999999999999999999999/invite/",
    ],
)
def test_junk_ids_in_the_address_give_404(client, sign_in, admin, path):
    sign_in(client, admin)
    assert client.get(path).status_code in (404, 405)  # 405: the page takes POST only
    assert client.post(path, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("field", "junk"),
    [
        ("code", "has spaces"),
        ("code", LONG),
        ("name_en", LONG),
        ("kind", "spaceship"),
        ("region", "abc"),
        ("region", "99999999999999999999999"),
    ],
)
def test_junk_in_the_agency_form_gets_a_field_message(english, sign_in, admin, police, field, junk):
    sign_in(english, admin)
    data = {
        "code": "health-baku",
        "name_az": "Səhiyyə",
        "name_ru": "Здравоохранение",
        "name_en": "Health",
        "kind": "health",
        "region": police.region.pk,
    }
    response = english.post("/admin/agencies/new/", {**data, field: junk})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Agency.objects.filter(name_az="Səhiyyə").exists()


def test_a_junk_capability_gets_a_field_message(english, sign_in, admin, role):
    sign_in(english, admin)
    auditor = role("auditor")
    response = english.post(f"/admin/roles/{auditor.pk}/", {"capabilities": [LONG, "audit.read"]})
    assert response.status_code == 200
    assert "capabilities" in response.context["form"].errors
    auditor.refresh_from_db()
    assert auditor.capabilities == ["audit.read"]
