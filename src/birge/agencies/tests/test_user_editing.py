"""Agency leads and administrators list users and change their details and roles."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent


def _usernames(response) -> set[str]:
    return {user.username for user in response.context["page"].object_list}


def _edit(client, user, roles, **details):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": [role.pk for role in roles],
        **details,
    }
    return client.post(f"/admin/users/{user.pk}/", data)


def test_the_lead_lists_only_her_agencys_users(client, sign_in, lead, officer, colleague, outsider):
    sign_in(client, lead)
    response = client.get("/admin/users/")
    assert response.status_code == 200
    assert _usernames(response) == {"lead", "officer", "colleague"}
    assert "outsider" not in response.content.decode()


def test_the_lead_finds_a_user_by_name(client, sign_in, lead, officer, colleague):
    sign_in(client, lead)
    response = client.get("/admin/users/", {"q": colleague.last_name})
    assert _usernames(response) == {"colleague"}


def test_searching_does_not_reach_other_agencies(client, sign_in, lead, outsider):
    sign_in(client, lead)
    response = client.get("/admin/users/", {"q": "outsider"})
    assert _usernames(response) == set()


def test_the_admin_lists_the_users_of_every_agency(client, sign_in, admin, lead, officer, outsider):
    sign_in(client, admin)
    response = client.get("/admin/users/")
    assert {"lead", "officer", "outsider", "admin"} <= _usernames(response)


def test_the_lead_opens_a_user_of_her_agency(english, sign_in, lead, officer):
    sign_in(english, lead)
    response = english.get(f"/admin/users/{officer.pk}/")
    assert response.status_code == 200
    assert officer.email in response.content.decode()


def test_the_lead_gets_404_for_a_user_of_another_agency(client, sign_in, lead, outsider):
    sign_in(client, lead)
    assert client.get(f"/admin/users/{outsider.pk}/").status_code == 404


def test_the_lead_cannot_change_a_user_of_another_agency(client, sign_in, lead, outsider, role):
    sign_in(client, lead)
    response = _edit(client, outsider, [role("agency_lead")], first_name="Changed")
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.first_name != "Changed"
    assert list(outsider.roles.values_list("code", flat=True)) == ["frontline_officer"]


def test_a_missing_user_looks_the_same_as_a_forbidden_one(client, sign_in, lead):
    sign_in(client, lead)
    assert client.get("/admin/users/999999/").status_code == 404


def test_the_lead_changes_a_users_details(client, sign_in, lead, officer, role):
    sign_in(client, lead)
    response = _edit(
        client, officer, [role("frontline_officer")], first_name="Aygün", email="a@example.invalid"
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.first_name, officer.email) == ("Aygün", "a@example.invalid")
    event = AuditEvent.objects.get(action="user.updated")
    assert (event.actor, event.object_id) == (lead, str(officer.pk))


def test_changing_roles_records_which_were_added_and_removed(client, sign_in, lead, officer, role):
    sign_in(client, lead)
    _edit(client, officer, [role("case_coordinator"), role("conference_chair")])

    assert set(officer.roles.values_list("code", flat=True)) == {
        "case_coordinator",
        "conference_chair",
    }
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.object_id == str(officer.pk)
    assert event.actor == lead
    assert event.data == {
        "added": ["case_coordinator", "conference_chair"],
        "removed": ["frontline_officer"],
    }


def test_saving_without_changing_roles_records_no_roles_change(
    client, sign_in, lead, officer, role
):
    sign_in(client, lead)
    _edit(client, officer, [role("frontline_officer")], first_name="Same roles")
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_the_lead_cannot_give_the_administrator_role(english, sign_in, lead, officer, role):
    sign_in(english, lead)
    response = _edit(english, officer, [role("administrator")], first_name="Changed")

    assert response.status_code == 200
    assert "roles" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    officer.refresh_from_db()
    assert officer.first_name != "Changed"
    assert list(officer.roles.values_list("code", flat=True)) == ["frontline_officer"]
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_the_lead_cannot_give_the_auditor_role(client, sign_in, lead, officer, role):
    sign_in(client, lead)
    response = _edit(client, officer, [role("frontline_officer"), role("auditor")])
    assert "roles" in response.context["form"].errors
    assert list(officer.roles.values_list("code", flat=True)) == ["frontline_officer"]


def test_the_lead_is_not_offered_roles_she_may_not_give(english, sign_in, lead, officer, role):
    sign_in(english, lead)
    offered = set(
        english.get(f"/admin/users/{officer.pk}/").context["form"].fields["roles"].queryset
    )
    assert role("frontline_officer") in offered
    assert not {role("administrator"), role("auditor"), role("analyst")} & offered


def test_roles_the_lead_may_not_give_are_kept_when_she_edits(client, sign_in, lead, police, role):
    # An administrator made this colleague the agency's auditor; the lead must not undo that.
    user = UserFactory(username="dpo", agency=police, roles=["frontline_officer", "auditor"])
    sign_in(client, lead)
    response = _edit(client, user, [role("case_coordinator")])

    assert response.status_code == 302
    assert set(user.roles.values_list("code", flat=True)) == {"case_coordinator", "auditor"}
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.data == {"added": ["case_coordinator"], "removed": ["frontline_officer"]}


def test_the_admin_gives_any_role_to_a_user_of_any_agency(client, sign_in, admin, outsider, role):
    sign_in(client, admin)
    response = _edit(client, outsider, [role("auditor")])
    assert response.status_code == 302
    assert list(outsider.roles.values_list("code", flat=True)) == ["auditor"]
    assert AuditEvent.objects.get(action="user.roles_changed").data == {
        "added": ["auditor"],
        "removed": ["frontline_officer"],
    }


def test_a_user_given_a_role_may_use_it_at_once(client, sign_in, lead, officer, role):
    sign_in(client, lead)
    _edit(client, officer, [role("agency_lead")])

    client.logout()
    sign_in(client, officer)
    assert client.get("/admin/users/").status_code == 200


def test_the_users_list_does_not_query_once_per_user(
    client, sign_in, admin, police, django_assert_max_num_queries
):
    UserFactory.create_batch(3, agency=police, roles=["frontline_officer"])
    sign_in(client, admin)

    with CaptureQueriesContext(connection) as few:
        client.get("/admin/users/")
    UserFactory.create_batch(20, agency=police, roles=["frontline_officer", "analyst"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/admin/users/")
    assert len(response.context["page"].object_list) == 24
