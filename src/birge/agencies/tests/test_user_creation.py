"""Adding a person to Birge: the account, and an email with a link to choose a password."""

import re

from django.core import mail

from birge.agencies.models import User
from birge.audit.models import AuditEvent


def _new_user(agency, roles, **fields):
    return {
        "username": "new.worker",
        "first_name": "Leyla",
        "last_name": "Sadıqova",
        "email": "new.worker@example.invalid",
        "agency": agency.pk,
        "roles": [role.pk for role in roles],
        **fields,
    }


def test_the_lead_adds_a_user_to_her_agency(
    client, sign_in, lead, police, role, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/users/new/", _new_user(police, [role("frontline_officer")]))

    user = User.objects.get(username="new.worker")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/users/{user.pk}/"
    assert user.agency == police
    assert list(user.roles.values_list("code", flat=True)) == ["frontline_officer"]
    assert not user.has_usable_password()
    created = AuditEvent.objects.get(action="user.created")
    assert (created.actor, created.object_id) == (lead, str(user.pk))
    assert created.data == {"agency": police.pk, "roles": ["frontline_officer"]}
    assert AuditEvent.objects.filter(action="user.invited", object_id=str(user.pk)).exists()


def test_the_new_user_gets_an_email_with_only_a_link(
    client, sign_in, lead, police, role, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/users/new/", _new_user(police, [role("frontline_officer")]))

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["new.worker@example.invalid"]
    text = email.subject + email.body
    assert "/account/password/set/" in text
    for personal in ("Leyla", "Sadıqova", "new.worker@", police.name_az, police.name_en):
        assert personal not in text


def test_the_link_in_the_email_lets_the_person_choose_a_password(
    client, sign_in, lead, police, role, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/users/new/", _new_user(police, [role("frontline_officer")]))
    client.logout()
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    password = "a long and unusual passphrase 7"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302
    assert User.objects.get(username="new.worker").check_password(password)


def test_no_email_is_sent_when_the_user_is_not_created(
    client, sign_in, lead, police, role, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/users/new/", _new_user(police, [role("frontline_officer")], email=""))
    assert mail.outbox == []
    assert not User.objects.filter(username="new.worker").exists()


def test_the_lead_cannot_add_a_user_to_another_agency(english, sign_in, lead, other_agency, role):
    sign_in(english, lead)
    response = english.post(
        "/admin/users/new/", _new_user(other_agency, [role("frontline_officer")])
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not User.objects.filter(username="new.worker").exists()


def test_the_lead_cannot_create_an_administrator(english, sign_in, lead, police, role):
    sign_in(english, lead)
    response = english.post("/admin/users/new/", _new_user(police, [role("administrator")]))
    assert "roles" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="new.worker").exists()


def test_the_lead_cannot_create_an_auditor(client, sign_in, lead, police, role):
    sign_in(client, lead)
    response = client.post("/admin/users/new/", _new_user(police, [role("auditor")]))
    assert "roles" in response.context["form"].errors
    assert not User.objects.filter(username="new.worker").exists()


def test_the_lead_is_offered_only_her_own_agency(client, sign_in, lead, police, other_agency):
    sign_in(client, lead)
    form = client.get("/admin/users/new/").context["form"]
    assert list(form.fields["agency"].queryset) == [police]
    assert form.fields["agency"].initial == police


def test_the_admin_adds_a_user_to_any_agency_with_any_role(
    client, sign_in, admin, other_agency, role, django_capture_on_commit_callbacks
):
    sign_in(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/users/new/", _new_user(other_agency, [role("auditor")]))
    assert response.status_code == 302
    user = User.objects.get(username="new.worker")
    assert user.agency == other_agency
    assert list(user.roles.values_list("code", flat=True)) == ["auditor"]
    assert len(mail.outbox) == 1


def test_a_taken_username_gets_a_field_message(english, sign_in, lead, officer, police, role):
    sign_in(english, lead)
    response = english.post(
        "/admin/users/new/", _new_user(police, [role("frontline_officer")], username="officer")
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="officer").count() == 1


def test_the_lead_sends_a_new_link_to_choose_a_password(
    client, sign_in, lead, officer, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/users/{officer.pk}/invite/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert officer.last_name not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="user.invited", object_id=str(officer.pk)).exists()


def test_the_lead_cannot_send_a_link_to_another_agencys_user(
    client, sign_in, lead, outsider, django_capture_on_commit_callbacks
):
    sign_in(client, lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/users/{outsider.pk}/invite/")
    assert response.status_code == 404
    assert mail.outbox == []
