"""What each role lets a person do, asked through the one question Birge asks."""

import pytest
from django.contrib.auth.models import AnonymousUser

from birge.agencies.capabilities import CAPABILITIES
from birge.agencies.models import Role
from birge.agencies.selectors import user_has_capability
from birge.agencies.tests.factories import UserFactory

FRONTLINE = {
    "case.view",
    "case.create",
    "case.edit",
    "risk.assess",
    "safety.plan",
    "referral.send",
    "referral.receive",
}

# The promise to each kind of person, written out here rather than read from roles.py.
EXPECTED = {
    "frontline_officer": FRONTLINE,
    "case_coordinator": FRONTLINE
    | {
        "case.coordinate",
        "case.emergency_access",
        "conference.refer",
        "conference.attend",
        "justice.record",
    },
    "conference_chair": {"case.view", "conference.attend", "conference.chair"},
    "agency_lead": {"case.view", "referral.receive", "agency.oversee", "users.manage"},
    "analyst": {"stats.view"},
    "auditor": {"audit.read"},
    "administrator": {"agencies.manage", "users.manage", "protocol.manage"},
    "trainer": {"training.facilitate"},
}


def test_every_standard_role_exists_in_a_fresh_database(db):
    assert set(Role.objects.values_list("code", flat=True)) >= set(EXPECTED)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_standard_role_grants_exactly_its_capabilities(db, role):
    user = UserFactory(roles=[role])
    granted = {code for code in CAPABILITIES if user_has_capability(user, code)}
    assert granted == EXPECTED[role]


def test_an_analyst_can_never_see_a_case(analyst):
    assert not user_has_capability(analyst, "case.view")


def test_capabilities_of_several_roles_add_up(db):
    user = UserFactory(roles=["frontline_officer", "conference_chair"])
    assert user_has_capability(user, "case.create")
    assert user_has_capability(user, "conference.chair")
    assert not user_has_capability(user, "users.manage")


def test_a_user_without_roles_may_do_nothing(db):
    user = UserFactory(roles=[])
    assert not any(user_has_capability(user, code) for code in CAPABILITIES)


def test_an_inactive_user_may_do_nothing(db):
    user = UserFactory(roles=["administrator", "auditor"], is_active=False)
    assert not any(user_has_capability(user, code) for code in CAPABILITIES)


def test_an_anonymous_visitor_may_do_nothing():
    assert not any(user_has_capability(AnonymousUser(), code) for code in CAPABILITIES)


def test_an_unknown_capability_is_never_granted(admin):
    assert not user_has_capability(admin, "everything")


def test_changing_a_roles_capabilities_changes_what_its_users_may_do(officer):
    role = Role.objects.get(code="frontline_officer")
    role.capabilities = [*role.capabilities, "stats.view"]
    role.capabilities.remove("case.create")
    role.save()

    fresh = type(officer).objects.get(pk=officer.pk)
    assert user_has_capability(fresh, "stats.view")
    assert not user_has_capability(fresh, "case.create")


def test_a_role_given_a_capability_opens_the_page_it_guards(client, sign_in, officer, police):
    sign_in(client, officer)
    assert client.get("/admin/users/").status_code == 404

    role = Role.objects.get(code="frontline_officer")
    role.capabilities = [*role.capabilities, "users.manage"]
    role.save()

    assert client.get("/admin/users/").status_code == 200


def test_a_role_stripped_of_a_capability_closes_the_page_it_guarded(client, sign_in, auditor):
    sign_in(client, auditor)
    assert client.get("/audit/").status_code == 200

    Role.objects.filter(code="auditor").update(capabilities=[])

    assert client.get("/audit/").status_code == 404


def test_the_home_page_lists_what_the_person_may_do(client, sign_in, auditor):
    client.cookies["birge_language"] = "en"
    sign_in(client, auditor)
    page = client.get("/").content.decode()
    assert "Read the audit log" in page
    assert "Register cases and incidents" not in page
