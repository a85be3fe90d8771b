"""The same person across cases, through keyed blind indexes: tolerant of spelling and
script, telling the registering user only what she may know."""

from datetime import date

import pytest

from birge.cases.tests.factories import register_case, registration_form
from birge.notifications.models import Notification

BIRTH = date(1990, 5, 1)
SPELLINGS = [
    ("Aysel", "Məmmədova"),
    ("Aysel", "Mammadova"),
    ("Aysel", "Mamedova"),
    ("Айсель", "Мамедова"),
]


@pytest.fixture
def first(officer, coordinator):
    """Agency A's case of Aysel Məmmədova, born 1 May 1990, phone 050 123 45 67."""
    return register_case(
        officer,
        victim={
            "first_name": "Aysel",
            "last_name": "Məmmədova",
            "birth_date": BIRTH,
            "phone": "050 123 45 67",
        },
        perpetrator={"first_name": "Rəşad", "last_name": "Həsənov", "birth_date": date(1985, 2, 3)},
    )


def _register(client, **victim):
    response = client.post("/cases/new/", registration_form(victim=victim))
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("first_name", "last_name"), SPELLINGS)
def test_the_same_victim_by_name_and_birth_date_is_known_without_a_link(
    browse, outsider, coordinator, first, first_name, last_name
):
    page = _register(
        browse(outsider), first_name=first_name, last_name=last_name, birth_date="1990-05-01"
    )

    assert "known in 1 other case" in page
    assert "ask its coordinator" in page
    assert f"/cases/{first.pk}/" not in page
    assert first.reference not in page
    notice = Notification.objects.get(kind="case.identity_match")
    assert notice.recipient == coordinator
    assert notice.params["reference"] == first.reference


@pytest.mark.parametrize("phone", ["+994 50 123 45 67", "0501234567", "00994 50 123-45-67"])
def test_the_same_victim_by_name_and_phone_is_known(browse, outsider, coordinator, first, phone):
    page = _register(browse(outsider), first_name="Айсель", last_name="Мамедова", phone=phone)

    assert "known in 1 other case" in page
    assert Notification.objects.filter(kind="case.identity_match", recipient=coordinator).exists()


def test_a_name_alone_is_no_match(browse, outsider, coordinator, first):
    page = _register(
        browse(outsider), first_name="Aysel", last_name="Mamedova", birth_date="1991-05-01"
    )

    assert "other case" not in page
    assert not Notification.objects.filter(kind="case.identity_match").exists()


def test_a_match_she_can_open_is_named_as_such(browse, colleague, coordinator, first):
    page = _register(
        browse(colleague), first_name="Aysel", last_name="Mamedova", birth_date="1990-05-01"
    )

    assert "also in 1 other case you can open" in page
    assert "known in" not in page
    assert not Notification.objects.filter(kind="case.identity_match").exists()


def test_the_coordinator_sees_repeat_victimisation(browse, outsider, coordinator, colleague, first):
    register_case(
        outsider, victim={"first_name": "Айсель", "last_name": "Мамедова", "birth_date": BIRTH}
    )

    page = browse(coordinator).get(f"/cases/{first.pk}/").content.decode()

    assert "Repeat victimisation." in page
    assert "Known in 1 other case — ask its coordinator." in page
    # Frontline officers of the circle are not shown the other cases.
    assert (
        "Repeat victimisation." not in browse(colleague).get(f"/cases/{first.pk}/").content.decode()
    )


def test_a_perpetrator_with_two_victims_shows_as_serial(browse, outsider, coordinator, first):
    register_case(
        outsider,
        victim={"first_name": "Leyla", "last_name": "Quliyeva"},
        perpetrator={
            "first_name": "Rashad",
            "last_name": "Gasanov",
            "birth_date": date(1985, 2, 3),
        },
    )

    page = browse(coordinator).get(f"/cases/{first.pk}/").content.decode()

    assert "Serial perpetrator: 1 other victim." in page
    assert "Repeat victimisation." not in page


def test_the_same_perpetrator_with_the_same_victim_is_not_serial(
    browse, colleague, coordinator, first
):
    register_case(
        colleague,
        victim={"first_name": "Aysel", "last_name": "Mammadova", "birth_date": BIRTH},
        perpetrator={
            "first_name": "Rashad",
            "last_name": "Hasanov",
            "birth_date": date(1985, 2, 3),
        },
    )

    page = browse(coordinator).get(f"/cases/{first.pk}/").content.decode()

    assert "Repeat victimisation." in page
    assert "Serial perpetrator" not in page


def _rows(client, q):
    html = client.get("/cases/", {"q": q}).content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


@pytest.mark.parametrize(
    "q", ["Мамедова", "Mammadova", "Aysel Mamedova", "Мамедова Айсель", "məmmədova aysel"]
)
def test_search_by_name_finds_the_case_across_scripts(browse, colleague, first, case, q):
    rows = _rows(browse(colleague), q)

    assert first.reference in rows
    assert case.reference not in rows


def test_search_by_reference_finds_exactly_that_case(browse, colleague, first, case):
    rows = _rows(browse(colleague), first.reference.lower())

    assert first.reference in rows
    assert case.reference not in rows


def test_search_by_another_name_finds_nothing(browse, colleague, first):
    assert first.reference not in _rows(browse(colleague), "Quliyeva")
