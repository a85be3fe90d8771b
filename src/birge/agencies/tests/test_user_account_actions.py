"""Deactivating, reactivating and resetting two-factor authentication: each needs a reason."""

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason

REASON_REQUIRED = "Write why; the reason is kept in the audit log."


def test_the_lead_deactivates_a_user_with_a_reason(client, sign_in, lead, officer):
    sign_in(client, lead)
    response = client.post(f"/admin/users/{officer.pk}/deactivate/", {"reason": "Left the service"})

    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    event = AuditEvent.objects.get(action="user.deactivated")
    assert (event.actor, event.agency, event.object_type, event.object_id, event_reason(event)) == (
        lead,
        lead.agency,
        "user",
        str(officer.pk),
        "Left the service",
    )


def test_deactivating_ends_the_persons_open_sessions(client, sign_in, lead, officer):
    officers_browser = sign_in(Client(), officer)
    assert officers_browser.get("/").status_code == 200

    sign_in(client, lead)
    client.post(f"/admin/users/{officer.pk}/deactivate/", {"reason": "Lost badge"})

    response = officers_browser.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_a_deactivated_user_cannot_sign_in(client, sign_in, lead, officer):
    sign_in(Client(), lead).post(f"/admin/users/{officer.pk}/deactivate/", {"reason": "Left"})
    response = client.post(
        "/account/login/", {"username": "officer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "reset-2fa"])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_account_action_without_a_reason_changes_nothing(
    english, sign_in, lead, officer, action, reason
):
    officer.is_active = action != "reactivate"
    officer.save()
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    sign_in(english, lead)
    events_before = AuditEvent.objects.count()

    data = {} if reason is None else {"reason": reason}
    response = english.post(f"/admin/users/{officer.pk}/{action}/", data)

    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    assert REASON_REQUIRED in response.content.decode()
    officer.refresh_from_db()
    assert officer.is_active == (action != "reactivate")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.count() == events_before


def test_an_overlong_reason_gets_a_field_message(english, sign_in, lead, officer):
    sign_in(english, lead)
    response = english.post(f"/admin/users/{officer.pk}/deactivate/", {"reason": "x" * 501})
    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    officer.refresh_from_db()
    assert officer.is_active


def test_the_lead_reactivates_a_user_with_a_reason(client, sign_in, lead, officer):
    officer.is_active = False
    officer.save()
    sign_in(client, lead)
    client.post(f"/admin/users/{officer.pk}/reactivate/", {"reason": "Back from leave"})

    officer.refresh_from_db()
    assert officer.is_active
    event = AuditEvent.objects.get(action="user.reactivated")
    assert (event.actor, event.object_id, event_reason(event)) == (
        lead,
        str(officer.pk),
        "Back from leave",
    )


def test_the_lead_resets_two_factor_for_a_lost_phone(client, sign_in, lead, officer):
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    StaticDevice.objects.create(user=officer, name="recovery")
    sign_in(client, lead)
    response = client.post(f"/admin/users/{officer.pk}/reset-2fa/", {"reason": "Phone stolen"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="user.2fa_reset")
    assert (event.actor, event.object_id, event_reason(event)) == (
        lead,
        str(officer.pk),
        "Phone stolen",
    )


def test_resetting_two_factor_leaves_other_peoples_devices_alone(
    client, sign_in, lead, officer, colleague
):
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    sign_in(client, lead)
    client.post(f"/admin/users/{officer.pk}/reset-2fa/", {"reason": "Phone stolen"})
    assert TOTPDevice.objects.filter(user=colleague).exists()


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "reset-2fa"])
def test_the_lead_cannot_act_on_another_agencys_user(client, sign_in, lead, outsider, action):
    TOTPDevice.objects.create(user=outsider, name="phone", confirmed=True)
    sign_in(client, lead)
    response = client.post(f"/admin/users/{outsider.pk}/{action}/", {"reason": "Because"})

    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    assert TOTPDevice.objects.filter(user=outsider).exists()
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_the_admin_deactivates_a_user_of_any_agency(client, sign_in, admin, outsider):
    sign_in(client, admin)
    client.post(f"/admin/users/{outsider.pk}/deactivate/", {"reason": "Contract ended"})
    outsider.refresh_from_db()
    assert not outsider.is_active
    assert event_reason(AuditEvent.objects.get(action="user.deactivated")) == "Contract ended"


@pytest.mark.parametrize("cast", ["lead", "admin"])
def test_nobody_can_deactivate_herself(db, english, sign_in, cast, request):
    me = request.getfixturevalue(cast)
    sign_in(english, me)
    response = english.post(f"/admin/users/{me.pk}/deactivate/", {"reason": "Oops"}, follow=True)

    assert "You cannot deactivate your own account." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()
    assert english.get("/").status_code == 200


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "reset-2fa", "invite"])
def test_account_actions_refuse_get(client, sign_in, lead, officer, action):
    sign_in(client, lead)
    assert client.get(f"/admin/users/{officer.pk}/{action}/").status_code == 405
    officer.refresh_from_db()
    assert officer.is_active
