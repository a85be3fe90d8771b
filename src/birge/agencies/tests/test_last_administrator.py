"""Birge always keeps someone who can administer it: the last role that can manage users and
agencies keeps those capabilities, and the last active administrator stays one, whichever
page makes the change. Through the web pages, in the three languages."""

import pytest
from django.test import Client

from birge.agencies.models import Role
from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent

NO_ROLE = {
    "en": "No role would be left that can manage users and agencies.",
    "ru": "Не осталось бы ни одной роли, которая может управлять пользователями и ведомствами.",
    "az": "İstifadəçiləri və qurumları idarə edə bilən heç bir rol qalmazdı.",
}
NO_ADMINISTRATOR = {
    "en": "No active administrator would be left",
    "ru": "Не осталось бы ни одного активного администратора",
    "az": "Heç bir aktiv inzibatçı qalmazdı",
}


def _browser(sign_in, user, language: str = "en") -> Client:
    client = Client()
    client.cookies["birge_language"] = language
    return sign_in(client, user)


@pytest.fixture
def administrator_role():
    return Role.objects.get(code="administrator")


def _second_administering_role(*, holder_active: bool) -> Role:
    """Another role that can manage users and agencies, held by one person."""
    second = Role.objects.create(
        code="deputy_administrator",
        name_az="Müavin",
        name_ru="Заместитель",
        name_en="Deputy",
        capabilities=["agencies.manage", "users.manage"],
    )
    UserFactory(username="deputy", roles=[second.code], is_active=holder_active)
    return second


# The last role ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_the_last_administering_role_keeps_its_capabilities(
    sign_in, admin, administrator_role, language
):
    response = _browser(sign_in, admin, language).post(
        f"/admin/roles/{administrator_role.pk}/", {"capabilities": ["protocol.manage"]}
    )

    assert response.status_code == 200
    assert NO_ROLE[language] in response.context["form"].errors["capabilities"]
    administrator_role.refresh_from_db()
    assert {"agencies.manage", "users.manage"} <= set(administrator_role.capabilities)
    assert not AuditEvent.objects.filter(action="role.capabilities_changed").exists()


def test_the_last_administering_role_may_lose_what_administration_does_not_need(
    sign_in, admin, administrator_role
):
    response = _browser(sign_in, admin).post(
        f"/admin/roles/{administrator_role.pk}/",
        {"capabilities": ["agencies.manage", "users.manage"]},
    )

    assert response.status_code == 302
    administrator_role.refresh_from_db()
    assert administrator_role.capabilities == ["agencies.manage", "users.manage"]


def test_an_administering_role_may_be_stripped_while_another_one_is_held(
    sign_in, admin, administrator_role
):
    _second_administering_role(holder_active=True)

    response = _browser(sign_in, admin).post(
        f"/admin/roles/{administrator_role.pk}/", {"capabilities": ["protocol.manage"]}
    )

    assert response.status_code == 302
    administrator_role.refresh_from_db()
    assert administrator_role.capabilities == ["protocol.manage"]


def test_a_role_no_active_user_holds_cannot_keep_administration_alive(
    sign_in, admin, administrator_role
):
    """A second role with the capabilities that nobody active holds: stripping the one the
    administrators hold would leave nobody able to administer."""
    _second_administering_role(holder_active=False)

    response = _browser(sign_in, admin).post(
        f"/admin/roles/{administrator_role.pk}/", {"capabilities": ["protocol.manage"]}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["capabilities"]
    assert any(NO_ADMINISTRATOR["en"] in message for message in errors)
    administrator_role.refresh_from_db()
    assert "agencies.manage" in administrator_role.capabilities


# The last active administrator -------------------------------------------------------------


@pytest.fixture
def admins_lead(admin):
    """The lead of the administrator's own agency: she manages its users, the administrator
    among them."""
    return UserFactory(username="admins.lead", agency=admin.agency, roles=["agency_lead"])


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_the_last_active_administrator_cannot_be_deactivated(sign_in, admin, admins_lead, language):
    response = _browser(sign_in, admins_lead, language).post(
        f"/admin/users/{admin.pk}/deactivate/", {"reason": "Tidying up"}, follow=True
    )

    assert response.status_code == 200
    assert NO_ADMINISTRATOR[language] in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()


def test_an_administrator_may_be_deactivated_while_another_one_is_active(
    sign_in, admin, admins_lead
):
    UserFactory(username="deputy", roles=["administrator"])

    response = _browser(sign_in, admins_lead).post(
        f"/admin/users/{admin.pk}/deactivate/", {"reason": "Left the service"}
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert not admin.is_active


def test_an_inactive_administrator_does_not_count(sign_in, admin, admins_lead):
    UserFactory(username="former", roles=["administrator"], is_active=False)

    _browser(sign_in, admins_lead).post(f"/admin/users/{admin.pk}/deactivate/", {"reason": "x"})

    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.parametrize("language", ["en", "ru", "az"])
def test_the_last_active_administrator_keeps_her_administering_role(
    sign_in, admin, administrator_role, language
):
    response = _browser(sign_in, admin, language).post(
        f"/admin/users/{admin.pk}/",
        {"first_name": "Changed", "last_name": admin.last_name, "email": admin.email, "roles": []},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["roles"]
    assert any(NO_ADMINISTRATOR[language] in message for message in errors)
    admin.refresh_from_db()
    assert list(admin.roles.all()) == [administrator_role]
    assert admin.first_name != "Changed"
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_an_administrator_may_give_up_her_role_to_another(sign_in, admin, role):
    UserFactory(username="deputy", roles=["administrator"])

    response = _browser(sign_in, admin).post(
        f"/admin/users/{admin.pk}/",
        {
            "first_name": admin.first_name,
            "last_name": admin.last_name,
            "email": admin.email,
            "roles": [role("auditor").pk],
        },
    )

    assert response.status_code == 302
    assert [r.code for r in admin.roles.all()] == ["auditor"]
