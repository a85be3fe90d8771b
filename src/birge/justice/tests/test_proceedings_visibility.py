"""Who sees what of proceedings (birge.access.justice): the stage for everyone who sees the
case, the details for the holding agency, the justice agencies in the circle, and the
agencies the conference or her consent shares them with — on the page and in the API."""

from datetime import timedelta

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.cases import services as case_services
from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    shelter,
    shelter_worker,
)
from birge.justice.services import proceedings as services
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the cast
    NOTE,
    SENTENCE,
    TODAY,
    investigator,
    justice_case,
    justice_outsider,
    perpetrator_of,
    proceeding,
    prosecution,
    prosecutor,
    social,
    social_coordinator,
)

DETAILS = ("Baku police", NOTE)  # the holding agency's name, a stage's note


@pytest.fixture
def api():
    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api


@pytest.fixture
def decided(proceeding, investigator):
    return services.proceeding_stage_record(
        actor=investigator,
        proceeding=proceeding,
        stage="outcome",
        began_on=TODAY(),
        outcome="conviction",
        sentence=SENTENCE,
    )


def _page(client, decided) -> str:
    return client.get(f"/justice/proceedings/{decided.pk}/").content.decode()


def _seen(browse, api, user, decided):
    """What the user reads of the proceedings: the detail page, the case page's section,
    and the API's list and detail."""
    web = browse(user)
    detail = _page(web, decided)
    page = web.get(f"/cases/{decided.case_id}/").content.decode()
    start = page.index('id="proceedings-h"')
    section = page[start : page.index("</section>", start)]
    listed = api(user).get(f"/api/v1/cases/{decided.case_id}/proceedings/").json()
    one = api(user).get(f"/api/v1/proceedings/{decided.pk}/").json()
    return detail, section, listed, one


@pytest.mark.parametrize("who", ["investigator", "prosecutor"])
def test_the_justice_agencies_in_the_circle_see_the_details(
    browse,
    api,
    decided,
    who,
    request,
    police,
):
    police.name_en = "Baku police"
    police.save()
    detail, section, listed, one = _seen(browse, api, request.getfixturevalue(who), decided)

    assert SENTENCE in detail and NOTE in detail and "Baku police" in detail
    assert "Conviction" in section and "Baku police" in section
    assert listed[0]["details"] is True and listed[0]["sentence"] == SENTENCE
    assert [s["stage"] for s in one["stages"]] == ["complaint", "investigation", "outcome"]
    assert one["agency"] == police.pk


@pytest.mark.parametrize("who", ["social_coordinator", "shelter_worker"])
def test_the_coordinator_and_the_shelter_see_the_stage_and_outcome_only(
    browse,
    api,
    decided,
    who,
    request,
    police,
):
    police.name_en = "Baku police"
    police.save()
    detail, section, listed, one = _seen(browse, api, request.getfixturevalue(who), decided)

    for text in (SENTENCE, NOTE, "Baku police", decided.opened_on.isoformat()):
        assert text not in detail
        assert text not in section
    assert "Conviction" in detail and "Criminal" in detail and "Conviction" in section
    for body in (listed[0], one):
        assert body["details"] is False
        assert (body["kind"], body["stage"], body["outcome"]) == (
            "criminal",
            "outcome",
            "conviction",
        )
        assert body["sentence"] is None and body["stages"] is None and body["agency"] is None
        assert body["opened_on"] is None and body["incident"] is None


def test_her_consent_shares_the_details_with_the_agency_it_names(
    browse,
    api,
    decided,
    social_coordinator,
    shelter,
    shelter_worker,
):
    case_services.consent_record(
        actor=social_coordinator,
        case=decided.case,
        agencies=[shelter],
        given_on=TODAY(),
        valid_until=TODAY() + timedelta(days=90),
        share_case_record=True,
    )

    detail, _section, listed, _one = _seen(browse, api, shelter_worker, decided)

    assert SENTENCE in detail and NOTE in detail
    assert listed[0]["details"] is True


def test_the_conference_shares_the_details_with_the_agencies_it_added(
    browse,
    api,
    decided,
    social_coordinator,
    other_agency,
):
    from birge.agencies.tests.factories import UserFactory

    member = UserFactory(agency=other_agency, roles=["conference_member"])
    case_services.case_share(
        actor=social_coordinator,
        case=decided.case,
        agency=other_agency,
        route="conference",
        reason="Discussed at the Baku risk conference of May.",
    )

    detail = _page(browse(member), decided)

    assert SENTENCE in detail


def test_the_shelter_sees_no_details_once_her_consent_is_withdrawn(
    browse,
    decided,
    social_coordinator,
    shelter,
    shelter_worker,
):
    consent = case_services.consent_record(
        actor=social_coordinator,
        case=decided.case,
        agencies=[shelter],
        given_on=TODAY(),
        valid_until=TODAY() + timedelta(days=90),
        share_case_record=True,
    )
    case_services.consent_withdraw(actor=social_coordinator, case=decided.case, consent=consent)

    assert SENTENCE not in _page(browse(shelter_worker), decided)


def test_emergency_access_opens_the_stage_only_and_records_nothing(
    browse, api, decided, justice_outsider
):
    """A justice agency's coordinator outside the circle opens the case in an emergency:
    the case, not the circle."""
    case_services.emergency_access_start(
        user=justice_outsider,
        reference=decided.case.reference,
        reason="She came to the Ganja police station at night and needs help.",
    )
    web = browse(justice_outsider)

    detail = _page(web, decided)
    listed = api(justice_outsider).get(f"/api/v1/cases/{decided.case_id}/proceedings/").json()

    assert "Conviction" in detail and SENTENCE not in detail
    assert listed[0]["details"] is False
    assert web.get(f"/justice/cases/{decided.case_id}/proceedings/new/").status_code == 404
    assert web.get(f"/justice/cases/{decided.case_id}/programmes/new/").status_code == 404
