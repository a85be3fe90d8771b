from datetime import timedelta

from django.test import Client

from birge.audit.models import AuditEvent

LOGIN = "/account/login/"


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_fourteen_idle_minutes_keep_the_session(signed_in, frozen):
    frozen.shift(timedelta(minutes=14))

    assert signed_in.get("/").status_code == 200


def test_sixteen_idle_minutes_end_the_session(signed_in, officer, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.get("/")

    assert _sent_to_sign_in(response)
    event = AuditEvent.objects.get(action="auth.session.expired")
    assert event.actor_id == officer.pk
    assert event.data == {"why": "idle"}
    # Ended for good: coming back later does not revive it.
    assert _sent_to_sign_in(signed_in.get("/"))


def test_the_sign_in_page_says_why_the_session_ended(signed_in, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.get("/account/", follow=True)

    assert response.request["PATH_INFO"] == LOGIN
    assert "Your session ended. Please sign in again." in response.content.decode()


def test_an_ended_session_cookie_cannot_be_replayed(signed_in, frozen):
    cookie = signed_in.cookies["birge_session"].value
    frozen.shift(timedelta(minutes=16))
    signed_in.get("/")

    other = Client()
    other.cookies["birge_session"] = cookie

    assert _sent_to_sign_in(other.get("/"))


def test_activity_every_ten_minutes_keeps_the_session_for_twelve_hours(signed_in, frozen):
    for _ in range(12 * 6 - 1):
        frozen.shift(timedelta(minutes=10))
        assert signed_in.get("/").status_code == 200

    frozen.shift(timedelta(minutes=10, seconds=1))
    response = signed_in.get("/")

    assert _sent_to_sign_in(response)
    event = AuditEvent.objects.get(action="auth.session.expired")
    assert event.data == {"why": "absolute"}


def test_the_twelve_hours_count_from_the_first_page_not_the_last(signed_in, frozen):
    for _ in range(11):
        frozen.shift(timedelta(hours=1) - timedelta(minutes=50))
        signed_in.get("/")
        for _ in range(5):
            frozen.shift(timedelta(minutes=10))
            signed_in.get("/")
    frozen.shift(timedelta(hours=1, seconds=1) - timedelta(minutes=50))
    assert signed_in.get("/").status_code == 200  # 11h 10m in all: still on

    for _ in range(5):
        frozen.shift(timedelta(minutes=10))
        signed_in.get("/")

    assert _sent_to_sign_in(signed_in.get("/"))


def test_an_htmx_request_after_the_session_ended_reloads_the_sign_in_page(signed_in, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.get("/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == LOGIN


def test_deactivating_a_person_ends_her_session_at_once(signed_in, officer):
    officer.is_active = False
    officer.save()

    assert _sent_to_sign_in(signed_in.get("/"))
    assert _sent_to_sign_in(signed_in.get("/account/"))


def test_deactivating_a_person_ends_a_password_only_session_too(client, officer, password_sign_in):
    password_sign_in(client, officer)
    officer.is_active = False
    officer.save()

    response = client.get("/account/two-factor/setup/")

    assert _sent_to_sign_in(response)


def test_a_colleagues_session_goes_on_when_a_person_is_deactivated(
    signed_in, officer, colleague, sign_in
):
    other = sign_in(Client(), colleague)
    other.cookies["birge_language"] = "en"

    officer.is_active = False
    officer.save()

    assert other.get("/").status_code == 200


def test_changing_the_password_ends_other_sessions(signed_in, officer, sign_in):
    from birge.agencies.tests.factories import PASSWORD

    laptop = sign_in(Client(), officer)
    assert laptop.get("/").status_code == 200

    signed_in.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new sentence to remember",
            "new_password2": "a brand new sentence to remember",
        },
    )

    assert signed_in.get("/").status_code == 200
    assert _sent_to_sign_in(laptop.get("/"))


def test_the_session_cookie_is_not_readable_by_scripts(client, officer, password_sign_in):
    password_sign_in(client, officer)

    cookie = client.cookies["birge_session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # gone when the browser closes
