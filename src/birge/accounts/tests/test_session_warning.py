"""Before the idle limit ends a session the page warns her, and "Stay signed in" keeps it;
a session that ended anyway sends her back to the page she was on once she has signed in."""

import re
from datetime import timedelta

LOGIN = "/account/login/"
KEEPALIVE = "/account/session/"


def _data(page: str, name: str) -> int:
    return int(re.search(rf'data-{name}="(\d+)"', page).group(1))


def test_every_page_carries_the_warning_with_the_limits_of_the_session(signed_in, frozen):
    frozen.shift(timedelta(seconds=30))

    page = signed_in.get("/account/").content.decode()

    assert 'id="session-warning"' in page
    assert "Stay signed in" in page
    assert "accounts/session_warning.js" in page
    assert _data(page, "idle-seconds") == 15 * 60
    assert _data(page, "warning-seconds") == 2 * 60
    # The server notes activity to the minute: the page counts from what it noted.
    assert _data(page, "seconds-left") == 15 * 60 - 30


def test_the_sign_in_page_has_no_warning(client):
    assert 'id="session-warning"' not in client.get(LOGIN).content.decode()


def test_stay_signed_in_starts_the_idle_limit_again(signed_in, frozen):
    frozen.shift(timedelta(minutes=14))

    kept = signed_in.post(KEEPALIVE)
    frozen.shift(timedelta(minutes=14))

    assert kept.status_code == 200
    assert kept.json() == {"seconds_left": 15 * 60}
    assert signed_in.get("/").status_code == 200


def test_stay_signed_in_cannot_revive_an_ended_session(signed_in, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.post(KEEPALIVE)

    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_stay_signed_in_is_a_post(signed_in):
    assert signed_in.get(KEEPALIVE).status_code == 405


def test_an_ended_session_sends_her_back_to_the_page_she_was_on(signed_in, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.get("/cases/?status=open")

    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=%2Fcases%2F%3Fstatus%3Dopen"


def test_an_ended_session_under_htmx_goes_to_sign_in_without_the_fragment(signed_in, frozen):
    frozen.shift(timedelta(minutes=16))

    response = signed_in.get("/cases/", HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == LOGIN
