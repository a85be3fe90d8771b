"""The system administrator decides what each role may do."""

from birge.agencies.selectors import user_has_capability
from birge.audit.models import AuditEvent


def test_the_admin_sees_every_role_and_its_capabilities(english, sign_in, admin, role):
    sign_in(english, admin)
    response = english.get("/admin/roles/")
    assert response.status_code == 200
    assert role("auditor") in response.context["roles"]
    assert "Read the audit log" in response.content.decode()


def test_the_admin_changes_a_roles_capabilities(client, sign_in, admin, officer, role):
    sign_in(client, admin)
    frontline = role("frontline_officer")
    response = client.post(
        f"/admin/roles/{frontline.pk}/", {"capabilities": ["case.view", "conference.attend"]}
    )

    assert response.status_code == 302
    frontline.refresh_from_db()
    assert frontline.capabilities == ["case.view", "conference.attend"]
    fresh = type(officer).objects.get(pk=officer.pk)
    assert user_has_capability(fresh, "conference.attend")
    assert not user_has_capability(fresh, "case.create")
    event = AuditEvent.objects.get(action="role.capabilities_changed")
    assert (event.actor, event.object_id) == (admin, str(frontline.pk))
    assert event.data["added"] == ["conference.attend"]
    assert "case.create" in event.data["removed"]


def test_the_role_form_shows_the_current_capabilities(client, sign_in, admin, role):
    sign_in(client, admin)
    form = client.get(f"/admin/roles/{role('auditor').pk}/").context["form"]
    assert form.initial["capabilities"] == ["audit.read"]


def test_an_unknown_capability_gets_a_field_message(client, sign_in, admin, role):
    sign_in(client, admin)
    auditor = role("auditor")
    response = client.post(f"/admin/roles/{auditor.pk}/", {"capabilities": ["everything"]})
    assert response.status_code == 200
    assert "capabilities" in response.context["form"].errors
    auditor.refresh_from_db()
    assert auditor.capabilities == ["audit.read"]
    assert not AuditEvent.objects.filter(action="role.capabilities_changed").exists()


def test_an_unknown_role_gives_404(client, sign_in, admin):
    sign_in(client, admin)
    assert client.get("/admin/roles/999999/").status_code == 404


def test_the_agency_lead_cannot_change_roles(client, sign_in, lead, role):
    sign_in(client, lead)
    mine = role("agency_lead")
    response = client.post(f"/admin/roles/{mine.pk}/", {"capabilities": ["agencies.manage"]})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert "agencies.manage" not in mine.capabilities
