import re
from datetime import timedelta

import pytest
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.accounts import services
from birge.accounts.tests.conftest import code_now, errors_of
from birge.audit.models import AuditEvent

SETUP = "/account/two-factor/setup/"
VERIFY = "/account/two-factor/"
PAGES = ["/", "/account/", "/account/password/", "/admin/users/", "/admin/agencies/", "/audit/"]


def _codes_on(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def _reaches_home(client) -> bool:
    return client.get("/").status_code == 200


# --- A password alone opens nothing --------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_a_password_alone_leads_to_set_up_when_not_enrolled(client, admin, password_sign_in, path):
    password_sign_in(client, admin)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == SETUP


@pytest.mark.parametrize("path", PAGES)
def test_a_password_alone_leads_to_the_check_when_enrolled(
    client, admin, password_sign_in, phone, path
):
    phone(admin)
    password_sign_in(client, admin)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?" + urlencode({"next": path})


def test_signing_in_with_a_password_goes_on_to_the_second_factor(client, officer, password_sign_in):
    response = password_sign_in(client, officer)

    assert client.get(response["Location"])["Location"] == SETUP


def test_a_password_alone_cannot_post_to_pages_either(client, admin, password_sign_in):
    password_sign_in(client, admin)

    response = client.post("/admin/users/new/", {"username": "intruder"})

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_htmx_requests_are_told_to_go_to_the_second_factor(client, officer, password_sign_in):
    password_sign_in(client, officer)

    response = client.get("/", headers={"HX-Request": "true"})

    # htmx sees no headers of a 3xx: the browser would follow it into the fragment.
    assert response.status_code == 200
    assert response["HX-Redirect"] == SETUP


def test_signing_out_is_possible_before_the_second_factor(client, officer, password_sign_in):
    password_sign_in(client, officer)

    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/account/login/")


def test_the_second_factor_pages_need_a_password_first(client, db):
    for path in (SETUP, VERIFY):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")


def test_without_the_requirement_a_password_alone_reaches_home(
    client, officer, password_sign_in, settings
):
    settings.BIRGE_REQUIRE_2FA = False

    password_sign_in(client, officer)

    assert _reaches_home(client)


def test_without_the_requirement_an_enrolled_person_still_gives_her_code(
    client, officer, password_sign_in, phone, settings
):
    settings.BIRGE_REQUIRE_2FA = False
    phone(officer)

    password_sign_in(client, officer)

    assert client.get("/")["Location"] == VERIFY + "?next=%2F"


# --- Enrolment ------------------------------------------------------------------------


def test_set_up_shows_a_qr_code_and_the_key(client, officer, password_sign_in):
    password_sign_in(client, officer)

    response = client.get(SETUP)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    assert key[:4] in html.replace(" ", "")
    assert key in html.replace(" ", "")


def test_set_up_keeps_the_same_key_until_confirmed(client, officer, password_sign_in):
    password_sign_in(client, officer)

    client.get(SETUP)
    client.get(SETUP)

    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_set_up_refuses_a_wrong_code(client, officer, password_sign_in, frozen):
    password_sign_in(client, officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(code_now(device)) + 1) % 1000000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert errors_of(response, "code")
    assert "Check the time on your phone" in response.content.decode()
    assert not services.two_factor_enrolled(officer)
    assert client.get("/")["Location"] == SETUP


def test_set_up_explains_a_code_of_the_wrong_shape(client, officer, password_sign_in):
    password_sign_in(client, officer)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "12ab"})

    assert response.status_code == 200
    assert errors_of(response, "code") == ["The code has 6 digits."]


def test_set_up_with_the_right_code_turns_two_factor_on(client, officer, password_sign_in, frozen):
    password_sign_in(client, officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(SETUP, {"code": code_now(device)})

    assert response.status_code == 200
    codes = _codes_on(response)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert services.two_factor_enrolled(officer)
    assert _reaches_home(client)
    assert AuditEvent.objects.filter(action="auth.2fa.enrolled", actor=officer).exists()


def test_set_up_accepts_the_code_after_a_mistake(client, officer, password_sign_in, frozen):
    password_sign_in(client, officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=officer)
    client.post(SETUP, {"code": f"{(int(code_now(device)) + 1) % 1000000:06d}"})
    frozen.shift(timedelta(seconds=5))  # a person needs a moment to look again

    response = client.post(SETUP, {"code": f" {code_now(device)} "})

    assert len(_codes_on(response)) == 10
    assert _reaches_home(client)


def test_the_recovery_codes_from_set_up_work(client, officer, password_sign_in, frozen):
    password_sign_in(client, officer)
    client.get(SETUP)
    codes = _codes_on(client.post(SETUP, {"code": code_now(TOTPDevice.objects.get(user=officer))}))
    client.post("/account/logout/")

    password_sign_in(client, officer)
    client.post(VERIFY, {"code": codes[3]})

    assert _reaches_home(client)


def test_an_enrolled_person_cannot_replace_her_phone_from_set_up(client, officer, sign_in, phone):
    device = phone(officer)
    sign_in(client, officer)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]


# --- The check at each sign-in --------------------------------------------------------


def test_the_check_accepts_the_current_code(client, officer, password_sign_in, phone, frozen):
    device = phone(officer)
    password_sign_in(client, officer)

    response = client.post(VERIFY, {"code": code_now(device)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _reaches_home(client)
    assert AuditEvent.objects.filter(action="auth.2fa.verified", actor=officer).exists()


def test_the_check_goes_on_to_the_page_asked_for(client, officer, password_sign_in, phone, frozen):
    device = phone(officer)
    password_sign_in(client, officer)

    response = client.post(VERIFY + "?next=/account/", {"code": code_now(device)})

    assert response["Location"] == "/account/"


def test_the_check_does_not_send_a_person_to_another_site(
    client, officer, password_sign_in, phone, frozen
):
    device = phone(officer)
    password_sign_in(client, officer)

    response = client.post(VERIFY + "?next=https://evil.example/", {"code": code_now(device)})

    assert response["Location"] == "/"


def test_the_check_refuses_a_wrong_code(client, officer, password_sign_in, phone, frozen):
    device = phone(officer)
    password_sign_in(client, officer)
    wrong = f"{(int(code_now(device)) + 1) % 1000000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 200
    assert errors_of(response, "code") == ["This code is not correct, or has been used. Try again."]
    assert client.get("/")["Location"] == VERIFY + "?next=%2F"
    assert AuditEvent.objects.filter(action="auth.2fa.failed", actor=officer).exists()


def test_the_check_asks_for_a_code(client, officer, password_sign_in, phone):
    phone(officer)
    password_sign_in(client, officer)

    response = client.post(VERIFY, {"code": ""})

    assert response.status_code == 200
    assert errors_of(response, "code") == ["Enter the code."]


def test_a_code_cannot_be_used_twice(client, officer, password_sign_in, phone, frozen):
    device = phone(officer)
    password_sign_in(client, officer)
    code = code_now(device)
    client.post(VERIFY, {"code": code})
    client.post("/account/logout/")

    password_sign_in(client, officer)
    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert client.get("/")["Location"] == VERIFY + "?next=%2F"


def test_a_code_of_another_persons_phone_does_not_work(
    client, officer, colleague, password_sign_in, phone, frozen
):
    phone(officer)
    colleagues_phone = phone(colleague)
    password_sign_in(client, officer)

    response = client.post(VERIFY, {"code": code_now(colleagues_phone)})

    assert response.status_code == 200
    assert client.get("/")["Location"] == VERIFY + "?next=%2F"


# --- Recovery codes -------------------------------------------------------------------


def test_a_recovery_code_works_once(client, officer, password_sign_in, phone, frozen):
    phone(officer)
    codes = services.recovery_codes_generate(user=officer)
    password_sign_in(client, officer)

    response = client.post(VERIFY, {"code": codes[0]}, follow=True)

    assert response.status_code == 200
    assert "9 codes are left" in response.content.decode()
    assert _reaches_home(client)
    assert AuditEvent.objects.filter(action="auth.2fa.recovery_code_used").count() == 1

    client.post("/account/logout/")
    frozen.shift(timedelta(minutes=1))
    password_sign_in(client, officer)
    response = client.post(VERIFY, {"code": codes[0]})

    assert response.status_code == 200
    assert errors_of(response, "code")
    assert client.get("/")["Location"] == VERIFY + "?next=%2F"


def test_an_unused_recovery_code_still_works_after_another_was_used(
    client, officer, password_sign_in, phone, frozen
):
    phone(officer)
    codes = services.recovery_codes_generate(user=officer)
    password_sign_in(client, officer)
    client.post(VERIFY, {"code": codes[0]})
    client.post("/account/logout/")
    frozen.shift(timedelta(minutes=1))

    password_sign_in(client, officer)
    client.post(VERIFY, {"code": codes[1].upper()[:5] + " " + codes[1].upper()[5:]})

    assert _reaches_home(client)
    assert services.recovery_codes_left(user=officer) == 8


def test_the_account_page_tells_how_many_recovery_codes_are_left(client, officer, sign_in, phone):
    phone(officer)
    services.recovery_codes_generate(user=officer)
    StaticToken.objects.filter(device__user=officer).first().delete()
    sign_in(client, officer)

    response = client.get("/account/")

    assert "9 recovery codes left." in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, officer, password_sign_in, phone, frozen):
    device = phone(officer)
    old = services.recovery_codes_generate(user=officer)
    password_sign_in(client, officer)
    client.post(VERIFY, {"code": code_now(device)})

    response = client.post("/account/recovery-codes/")

    new = _codes_on(response)
    assert len(new) == 10
    assert not set(new) & set(old)
    client.post("/account/logout/")
    frozen.shift(timedelta(minutes=1))
    password_sign_in(client, officer)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200
    frozen.shift(timedelta(seconds=5))
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302
    assert _reaches_home(client)


def test_new_recovery_codes_need_the_second_factor(client, officer, password_sign_in, phone):
    phone(officer)
    old = services.recovery_codes_generate(user=officer)
    password_sign_in(client, officer)

    response = client.post("/account/recovery-codes/")

    assert response.status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


def test_new_recovery_codes_cannot_be_made_with_a_get(client, officer, sign_in, phone):
    phone(officer)
    old = services.recovery_codes_generate(user=officer)
    sign_in(client, officer)

    response = client.get("/account/recovery-codes/")

    assert response.status_code == 405
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


def test_after_the_check_she_lands_on_the_page_she_asked_for(
    client, admin, password_sign_in, phone
):
    device = phone(admin)
    password_sign_in(client, admin)
    check = client.get("/admin/users/")["Location"]

    response = client.post(check, {"code": code_now(device)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/users/"


def test_the_check_does_not_send_her_to_another_site(client, admin, password_sign_in, phone):
    device = phone(admin)
    password_sign_in(client, admin)

    response = client.post(VERIFY + "?next=https://evil.example/", {"code": code_now(device)})

    assert response["Location"] == "/"
