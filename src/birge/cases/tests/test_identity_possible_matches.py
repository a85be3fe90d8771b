"""A surname that differs only in its gendered ending (Məmmədova, Məmmədov), with the same
first name and date of birth, is *possibly* the same person: offered to a coordinator to
confirm or dismiss, never merged or counted until she confirms it. And the Russian-style
"gyu" spelling of "gü" is the same name.

Agency A (police, Baku) registered the first case; agency C (police, Ganja) the other,
with its own coordinator.
"""

from datetime import date

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent
from birge.cases import services
from birge.cases.identity import identity_matches, identity_possible_matches
from birge.cases.models import CasePerson, IdentityDecision, Part
from birge.cases.tests.factories import register_case, registration_form
from birge.notifications.models import Notification

BIRTH = date(1990, 5, 1)


@pytest.fixture
def ganja_coordinator(other_agency):
    return UserFactory(
        username="ganja_coordinator", agency=other_agency, roles=["case_coordinator"]
    )


@pytest.fixture
def first(officer, coordinator):
    """Agency A's case of Aysel Məmmədova, born 1 May 1990, and Rəşad Həsənov."""
    return register_case(
        officer,
        victim={"first_name": "Aysel", "last_name": "Məmmədova", "birth_date": BIRTH},
        perpetrator={"first_name": "Rəşad", "last_name": "Həsənov", "birth_date": date(1985, 2, 3)},
    )


def _register(client, **victim):
    response = client.post("/cases/new/", registration_form(victim=victim))
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def _victim(case):
    return CasePerson.objects.select_related("person").get(case=case, part=Part.VICTIM)


def _perpetrator(case):
    return CasePerson.objects.select_related("person").get(case=case, part=Part.PERPETRATOR)


def _page(client, case):
    return client.get(f"/cases/{case.pk}/").content.decode()


def _answer(client, case, participant, answer, token=None):
    if token is None:
        (match,) = identity_possible_matches(person=participant.person, exclude_case_id=case.pk)
        token = match.token
    return client.post(
        f"/cases/{case.pk}/possible-match/",
        {"participant": participant.pk, "match": token, "answer": answer},
    )


# --- The skeleton defect, through registration --------------------------------------


@pytest.mark.parametrize("first_name", ["Gyulnara", "Gjulnara", "Гюльнара", "Gulnara"])
def test_a_russian_style_spelling_of_gu_is_the_same_victim(
    browse, officer, outsider, coordinator, first_name
):
    known = register_case(
        officer, victim={"first_name": "Gülnarə", "last_name": "Quliyeva", "birth_date": BIRTH}
    )

    page = _register(
        browse(outsider), first_name=first_name, last_name="Kuliyeva", birth_date="1990-05-01"
    )

    assert "known in 1 other case" in page
    assert known.reference not in page
    assert Notification.objects.filter(kind="case.identity_match", recipient=coordinator).exists()


# --- Registration: told apart from a match, in the same measure ----------------------


@pytest.mark.parametrize("last_name", ["Məmmədov", "Mamedov", "Мамедов"])
def test_a_surname_in_its_other_gendered_form_is_a_possible_match_not_a_match(
    browse, outsider, coordinator, first, last_name
):
    page = _register(
        browse(outsider), first_name="Aysel", last_name=last_name, birth_date="1990-05-01"
    )

    assert "may be known in 1 other case" in page
    assert "surname differs only in its ending" in page
    assert "known in 1 other case —" not in page
    assert first.reference not in page
    assert f"/cases/{first.pk}/" not in page
    notice = Notification.objects.get(recipient=coordinator)
    assert notice.kind == "case.identity_possible_match"
    assert notice.params["reference"] == first.reference


def test_a_possible_match_she_can_open_is_named_as_such(browse, colleague, coordinator, first):
    page = _register(
        browse(colleague), first_name="Aysel", last_name="Mamedov", birth_date="1990-05-01"
    )

    assert "may also be in 1 other case you can open" in page
    assert "Check the date of birth" in page
    assert not Notification.objects.filter(recipient=coordinator).exists()


@pytest.mark.parametrize(
    "victim",
    [
        {"first_name": "Aysel", "last_name": "Məmmədov", "birth_date": "1990-05-02"},
        {"first_name": "Ayten", "last_name": "Məmmədov", "birth_date": "1990-05-01"},
        {"first_name": "Aysel", "last_name": "Məmmədli", "birth_date": "1990-05-01"},
        {"first_name": "Aysel", "last_name": "Məmmədov"},
    ],
    ids=["another birth date", "another first name", "not a gendered ending", "no birth date"],
)
def test_without_the_same_first_name_and_birth_date_nothing_is_offered(
    browse, outsider, first, victim
):
    page = _register(browse(outsider), **victim)

    assert "other case" not in page
    assert not Notification.objects.exists()


def test_a_strong_match_is_not_offered_again_as_possible(browse, outsider, first):
    register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    page = _register(
        browse(outsider), first_name="Aysel", last_name="Mamedova", birth_date="1990-05-01"
    )

    # The same as the first case; possibly the same as the second: one line each.
    assert "known in 1 other case —" in page
    assert "may also be in 1 other case you can open" in page


def test_the_api_tells_possible_matches_apart(outsider, first):
    _, token = AuthToken.objects.create(outsider)
    body = {
        "victim": {"first_name": "Айсель", "last_name": "Мамедов", "birth_date": "1990-05-01"},
        "incident": {"occurred_on": "2026-11-01", "forms": ["physical"]},
    }

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.post("/api/v1/cases/", body, content_type="application/json")

    assert response.status_code == 201
    assert response["X-Birge-Known-In-Other-Cases"] == "0"
    assert response["X-Birge-Possibly-Known-In-Other-Cases"] == "1"
    assert first.reference not in response.content.decode()


# --- The case page: offered to the coordinator, not counted --------------------------


def test_the_coordinator_is_asked_to_compare_a_case_she_can_open(
    browse, colleague, coordinator, first
):
    other = register_case(
        colleague, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )

    page = _page(browse(coordinator), first)

    assert (
        f"Possibly the same person as in {other.reference}: the surname differs only in its "
        "ending — check the date of birth and other details."
    ) in page
    assert "Repeat victimisation." not in page
    assert "Known in" not in page
    # The frontline officers of the circle are not shown it.
    assert "Possibly the same person" not in _page(browse(colleague), first)


def test_a_case_she_cannot_open_is_only_mentioned(browse, outsider, coordinator, first):
    other = register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )

    page = _page(browse(coordinator), first)

    assert "Possibly the same person as in another case you cannot open" in page
    assert other.reference not in page
    assert f"/cases/{other.pk}/" not in page
    assert "Repeat victimisation." not in page


def test_the_other_coordinator_sees_it_the_other_way_round(
    browse, outsider, ganja_coordinator, first
):
    other = register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )

    page = _page(browse(ganja_coordinator), other)

    assert "Possibly the same person as in another case you cannot open" in page
    assert first.reference not in page


def test_the_printed_case_carries_no_buttons(browse, colleague, coordinator, first):
    register_case(
        colleague, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )

    printed = browse(coordinator).get(f"/cases/{first.pk}/print/").content.decode()

    assert "Possibly the same person" in printed
    assert "possible-match/" not in printed


def test_a_perpetrator_is_matched_person_to_person_whatever_his_part(
    browse, outsider, coordinator, first
):
    # The same person, recorded as a victim elsewhere, with the surname in its other form.
    register_case(
        outsider,
        victim={"first_name": "Rashad", "last_name": "Gasanova", "birth_date": date(1985, 2, 3)},
    )

    page = _page(browse(coordinator), first)

    assert "Possibly the same person as in another case" in page
    assert "Serial perpetrator" not in page


# --- Confirming and dismissing ---------------------------------------------------------


def test_confirming_makes_it_a_match_counted_as_repeat_victimisation(
    browse, outsider, coordinator, ganja_coordinator, first
):
    other = register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    client = browse(coordinator)

    response = _answer(client, first, _victim(first), "same")

    assert response.status_code == 302
    page = _page(client, first)
    assert "Repeat victimisation." in page
    assert "Known in 1 other case — ask its coordinator." in page
    assert "Possibly the same person" not in page
    decision = IdentityDecision.objects.get()
    assert (decision.answer, decision.decided_by, decision.case) == ("same", coordinator, first)
    event = AuditEvent.objects.get(action="case.identity_decided")
    assert event.object_id == str(first.pk)
    assert event.data["answer"] == "same"
    assert event.data["other_case"] == other.pk
    # The other coordinator is told, and her case now counts it too.
    notice = Notification.objects.get(kind="case.identity_confirmed")
    assert notice.recipient == ganja_coordinator
    assert notice.params["reference"] == other.reference
    assert identity_matches(person=_victim(other).person) == {first.pk: {"victim"}}
    assert "Repeat victimisation." in _page(browse(ganja_coordinator), other)


def test_dismissing_stops_it_being_offered_to_anyone(
    browse, outsider, coordinator, ganja_coordinator, first
):
    other = register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    client = browse(coordinator)

    _answer(client, first, _victim(first), "different")

    page = _page(client, first)
    assert "Possibly the same person" not in page
    assert "Repeat victimisation." not in page
    assert "Possibly the same person" not in _page(browse(ganja_coordinator), other)
    assert AuditEvent.objects.get(action="case.identity_decided").data["answer"] == "different"
    assert not Notification.objects.filter(kind="case.identity_confirmed").exists()
    assert identity_matches(person=_victim(first).person, exclude_case_id=first.pk) == {}


def test_a_confirmed_perpetrator_with_another_victim_is_serial(
    browse, outsider, coordinator, first
):
    register_case(
        outsider,
        victim={"first_name": "Leyla", "last_name": "Quliyeva", "birth_date": date(1993, 7, 8)},
        perpetrator={
            "first_name": "Rashad",
            "last_name": "Gasanova",
            "birth_date": date(1985, 2, 3),
        },
    )
    client = browse(coordinator)
    assert "Serial perpetrator" not in _page(client, first)

    _answer(client, first, _perpetrator(first), "same")

    assert "Serial perpetrator: 1 other victim." in _page(client, first)


def test_a_confirmed_match_reaches_the_cases_that_match_it(outsider, officer, coordinator, first):
    """Confirmed once, she is also the same as every strong match of the other record."""
    other = register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    third = register_case(
        officer, victim={"first_name": "Айсель", "last_name": "Мамедов", "birth_date": BIRTH}
    )
    her = _victim(first)
    offered = identity_possible_matches(person=her.person, exclude_case_id=first.pk)
    assert [m.case_id for m in offered] == [other.pk, third.pk]

    services.identity_decide(
        actor=coordinator, case=first, participant=her, token=offered[0].token, same=True
    )

    assert set(identity_matches(person=her.person, exclude_case_id=first.pk)) == {
        other.pk,
        third.pk,
    }
    assert identity_possible_matches(person=her.person, exclude_case_id=first.pk) == []


def test_a_frontline_officer_cannot_answer(browse, colleague, outsider, first):
    register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )

    response = _answer(browse(colleague), first, _victim(first), "same")

    assert response.status_code == 404
    assert not IdentityDecision.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"answer": "same", "match": "0" * 64},
        {"answer": "maybe"},
        {"answer": "same", "participant": "abc"},
        {"answer": "same", "participant": str(2**70)},
        {},
    ],
    ids=["a forged match", "no such answer", "not a number", "a huge number", "nothing"],
)
def test_nonsense_records_nothing_and_says_so(browse, outsider, coordinator, first, data):
    register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    (match,) = identity_possible_matches(person=_victim(first).person, exclude_case_id=first.pk)
    post = {"participant": _victim(first).pk, "match": match.token, **data}
    client = browse(coordinator)

    response = client.post(f"/cases/{first.pk}/possible-match/", post)

    assert response.status_code == 302
    assert not IdentityDecision.objects.exists()
    assert "no longer open" in client.get(response["Location"]).content.decode()


def test_a_match_of_another_person_of_the_case_cannot_be_answered_for_her(
    browse, outsider, coordinator, first
):
    register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    (match,) = identity_possible_matches(person=_victim(first).person, exclude_case_id=first.pk)

    _answer(browse(coordinator), first, _perpetrator(first), "same", token=match.token)

    assert not IdentityDecision.objects.exists()


def test_answering_twice_keeps_the_first_answer(browse, outsider, coordinator, first):
    register_case(
        outsider, victim={"first_name": "Aysel", "last_name": "Mamedov", "birth_date": BIRTH}
    )
    (match,) = identity_possible_matches(person=_victim(first).person, exclude_case_id=first.pk)
    client = browse(coordinator)

    _answer(client, first, _victim(first), "different", token=match.token)
    response = _answer(client, first, _victim(first), "same", token=match.token)

    assert IdentityDecision.objects.get().answer == "different"
    assert "no longer open" in client.get(response["Location"]).content.decode()


def test_answering_a_possible_match_needs_a_post(browse, coordinator, first):
    assert browse(coordinator).get(f"/cases/{first.pk}/possible-match/").status_code == 405


# --- In every language ------------------------------------------------------------------

OFFERED = {
    "en": ("Possibly the same person as in", "The same person", "Not the same person"),
    "az": ("Ehtimal ki, aça bilmədiyiniz başqa bir işdəki şəxsdir", "Eyni şəxsdir", "deyil"),
    "ru": ("Возможно, то же лицо, что и в другом случае", "Это одно и то же лицо", "разные"),
}
TOLD = {
    "en": "may be known in 1 other case",
    "az": "daha 1 işdə qeydə alınmış ola bilər",
    "ru": "возможно, фигурирует ещё в 1 случае",
}


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_a_possible_match_is_offered_in_her_language(
    browse, outsider, coordinator, first, language
):
    other = browse(outsider)
    other.cookies["birge_language"] = language
    told = _register(other, first_name="Aysel", last_name="Mamedov", birth_date="1990-05-01")
    client = browse(coordinator)
    client.cookies["birge_language"] = language

    page = _page(client, first)

    assert TOLD[language] in told
    for text in OFFERED[language]:
        assert text in page
