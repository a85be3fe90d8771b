"""Bad input on referrals: a clear message, the state unchanged, never a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from birge.agencies.models import Service, ServiceKind
from birge.audit.models import AuditEvent
from birge.referrals import services
from birge.referrals.models import Referral
from birge.referrals.tests.conftest import SUMMARY


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English, whatever the default language."""
    with translation.override("en"):
        yield


def _state(referral: Referral) -> tuple:
    fresh = Referral.objects.get(pk=referral.pk)
    return (fresh.status, fresh.version, fresh.responded_at, fresh.decline_reason)


def _events() -> int:
    """Changes recorded (reading the page the answer leads to is not one)."""
    return (
        AuditEvent.objects.filter(action__startswith="referral.")
        .exclude(action="referral.viewed")
        .count()
    )


def test_referring_to_an_agency_that_offers_no_such_service_is_a_field_error(
    api, officer, case, shelter, shelter_place
):
    response = api(officer).post(
        "/api/v1/referrals/",
        {"case": case.pk, "agency": shelter.pk, "service_kind": "legal_aid", "summary": SUMMARY},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["service"] == ["This agency offers no such service."]
    assert not Referral.objects.exists()


def test_referring_to_ones_own_agency_or_a_closed_service_is_refused(
    officer, police, case, shelter_place
):
    own = Service.objects.create(
        agency=police, kind=ServiceKind.POLICE_PROTECTION, name_az="x", name_ru="x", name_en="x"
    )
    with pytest.raises(ValidationError) as own_error:
        services.referral_create(actor=officer, case=case, service=own, summary=SUMMARY)
    Service.objects.filter(pk=shelter_place.pk).update(is_active=False)
    shelter_place.refresh_from_db()
    with pytest.raises(ValidationError) as closed_error:
        services.referral_create(actor=officer, case=case, service=shelter_place, summary=SUMMARY)

    assert "own agency" in own_error.value.message_dict["service"][0]
    assert "not offered" in closed_error.value.message_dict["service"][0]
    assert not Referral.objects.exists()


def test_a_service_of_another_region_or_kind_is_not_a_choice_on_the_form(
    browse, officer, case, shelter_place
):
    response = browse(officer).post(
        f"/referrals/new/{case.pk}/?kind=legal_aid",
        {"service": shelter_place.pk, "summary": SUMMARY},
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_overlong_summary_is_refused(browse, api, officer, case, shelter_place):
    long = "x" * 4001

    page = browse(officer).post(
        f"/referrals/new/{case.pk}/", {"service": shelter_place.pk, "summary": long}
    )
    response = api(officer).post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": shelter_place.pk, "summary": long},
        content_type="application/json",
    )
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=officer, case=case, service=shelter_place, summary=long)

    assert page.status_code == 400
    assert "at most 4000 characters" in page.content.decode()
    assert response.status_code == 400 and "summary" in response.json()
    assert "4000" in error.value.message_dict["summary"][0]
    assert not Referral.objects.exists()


def test_an_empty_summary_is_refused(browse, officer, case, shelter_place):
    response = browse(officer).post(
        f"/referrals/new/{case.pk}/", {"service": shelter_place.pk, "summary": "   "}
    )

    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_accepting_twice_says_so_and_changes_nothing(
    browse, api, officer, shelter_worker, case, refer
):
    referral = refer(officer, case)
    services.referral_accept(actor=shelter_worker, referral=referral)
    before, events = _state(referral), _events()

    page = browse(shelter_worker).post(f"/referrals/{referral.pk}/accept/", follow=True)
    response = api(shelter_worker).post(
        f"/api/v1/referrals/{referral.pk}/accept/", {}, content_type="application/json"
    )

    assert page.status_code == 200
    assert "This referral has already been accepted." in page.content.decode()
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This referral has already been accepted."]}
    assert _state(referral) == before and _events() == events


def test_a_stale_accept_is_refused(api, officer, shelter_worker, case, refer):
    """Two shelter workers press Accept on the same page: the second is told."""
    referral = refer(officer, case)
    stale = Referral.objects.get(pk=referral.pk)
    services.referral_accept(actor=shelter_worker, referral=referral)

    with pytest.raises(ValidationError) as error:
        services.referral_accept(actor=shelter_worker, referral=stale)

    assert "already been accepted" in error.value.messages[0]
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_an_action_on_an_older_version_is_refused_as_stale(
    api, officer, shelter_worker, case, refer
):
    referral = refer(officer, case)

    response = api(shelter_worker).post(
        f"/api/v1/referrals/{referral.pk}/accept/",
        {"version": referral.version - 1},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert "changed this referral meanwhile" in response.json()["detail"]
    assert _state(referral)[0] == Referral.Status.SENT


@pytest.mark.parametrize(
    "action, who, data",
    [
        ("accept", "shelter_worker", {}),
        ("decline", "shelter_worker", {"reason": "No place."}),
        ("start", "shelter_worker", {}),
        ("complete", "shelter_worker", {}),
        ("send", "officer", {}),
        ("withdraw", "officer", {"reason": "Again."}),
    ],
)
def test_acting_on_a_withdrawn_referral_is_refused(
    request, browse, api, officer, case, refer, action, who, data
):
    user = request.getfixturevalue(who)
    referral = refer(officer, case)
    services.referral_withdraw(actor=officer, referral=referral, reason="She moved away.")
    before, events = _state(referral), _events()

    page = browse(user).post(f"/referrals/{referral.pk}/{action}/", data, follow=True)
    response = api(user).post(
        f"/api/v1/referrals/{referral.pk}/{action}/", data, content_type="application/json"
    )

    message = "This referral was withdrawn: it can no longer be changed."
    assert page.status_code in (200, 400)
    assert message in page.content.decode()
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert _state(referral) == before and _events() == events


def test_declining_without_a_reason_is_refused(browse, api, shelter_worker, officer, case, refer):
    referral = refer(officer, case)
    before = _state(referral)

    page = browse(shelter_worker).post(f"/referrals/{referral.pk}/decline/", {"reason": "  "})
    response = api(shelter_worker).post(
        f"/api/v1/referrals/{referral.pk}/decline/", {}, content_type="application/json"
    )
    with pytest.raises(ValidationError) as error:
        services.referral_decline(actor=shelter_worker, referral=referral, reason=" ")

    assert page.status_code == 400
    assert "This field is required." in page.content.decode()
    assert response.status_code == 400 and "reason" in response.json()
    assert "why the referral is declined" in error.value.message_dict["reason"][0]
    assert _state(referral) == before


def test_withdrawing_without_a_reason_is_refused(browse, officer, case, refer):
    referral = refer(officer, case)

    response = browse(officer).post(f"/referrals/{referral.pk}/withdraw/", {"reason": ""})

    assert response.status_code == 400
    assert _state(referral)[0] == Referral.Status.SENT


def test_completing_before_starting_is_refused(shelter_worker, officer, case, refer):
    referral = refer(officer, case)
    services.referral_accept(actor=shelter_worker, referral=referral)

    with pytest.raises(ValidationError) as error:
        services.referral_complete(actor=shelter_worker, referral=referral)

    assert error.value.messages == ["Only a referral in progress can be completed."]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"case": "abc", "service": 1, "summary": SUMMARY},
        {"case": 1, "summary": SUMMARY},
        {"case": 1, "service": 999999, "summary": SUMMARY},
        {"case": 1, "agency": 1, "service_kind": "spaceship", "summary": SUMMARY},
        {"case": 1, "service": 1, "summary": SUMMARY, "send": "maybe"},
    ],
)
def test_malformed_api_bodies_are_400s(api, officer, case, shelter_place, body):
    response = api(officer).post("/api/v1/referrals/", body, content_type="application/json")

    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_referring_a_closed_case_is_refused(api, officer, coordinator, case, shelter_place):
    from birge.cases.services import case_close

    case_close(actor=coordinator, case=case, reason="She is safe now, moved abroad.")
    response = api(officer).post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": shelter_place.pk, "summary": SUMMARY},
        content_type="application/json",
    )

    assert response.status_code in (400, 403)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("version", ["²", "٣", "9" * 30, "-1", "1.5"])
def test_a_button_with_a_nonsense_version_is_checked_against_the_referral_as_it_is(
    browse, officer, high_risk_case, refer, version
):
    """Unicode digits and numbers no database holds are not versions: the button acts on
    the referral as it stands, with no server error."""
    draft = refer(officer, high_risk_case, send=False)

    response = browse(officer).post(f"/referrals/{draft.pk}/send/", {"version": version})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "sent"
