"""The victim's current address and shelter location: only the coordinator's agency and
agencies she consented to (for location) see them, on the page and on paper."""

import pytest

from birge.cases import services
from birge.cases.tests.factories import consent_for, register_case
from birge.risk.services import assessment_judgement

ADDRESS = "Nizami küçəsi 12, mənzil 7"
SHELTER = "Sığınacaq Bakı-3, otaq 5"
HIDDEN = 'class="hidden-field"'


@pytest.fixture
def housed(officer, coordinator):
    """A case whose victim has an address and stays in a shelter."""
    return register_case(officer, victim={"address": ADDRESS, "shelter_location": SHELTER})


def _pages(client, case):
    pages = [client.get(f"/cases/{case.pk}/"), client.get(f"/cases/{case.pk}/print/")]
    assert [p.status_code for p in pages] == [200, 200]
    return [p.content.decode() for p in pages]


@pytest.mark.parametrize("cast", ["officer", "colleague", "coordinator"])
def test_the_coordinators_agency_sees_the_address_and_shelter(browse, housed, cast, request):
    for page in _pages(browse(request.getfixturevalue(cast)), housed):
        assert ADDRESS in page
        assert SHELTER in page
        assert HIDDEN not in page


def test_an_agency_that_consent_lets_in_without_location_does_not_see_them(
    browse, officer, shelter, shelter_worker, coordinator
):
    case = register_case(
        officer,
        victim={"address": ADDRESS, "shelter_location": SHELTER},
        consent=consent_for(shelter, location=False),
    )
    services.case_share(actor=officer, case=case, agency=shelter)

    for page in _pages(browse(shelter_worker), case):
        assert ADDRESS not in page
        assert SHELTER not in page
        assert HIDDEN in page


def test_an_agency_she_consented_to_for_location_sees_them(
    browse, officer, shelter, shelter_worker, coordinator
):
    case = register_case(
        officer,
        victim={"address": ADDRESS, "shelter_location": SHELTER},
        consent=consent_for(shelter, location=True),
    )
    services.case_share(actor=officer, case=case, agency=shelter)

    for page in _pages(browse(shelter_worker), case):
        assert ADDRESS in page
        assert SHELTER in page


def test_an_agency_let_in_on_high_risk_does_not_see_them(
    browse, officer, outsider, other_agency, housed
):
    assessment_judgement(
        actor=officer, case=housed, level="critical", reason="Threats to kill her."
    )
    services.case_share(
        actor=officer, case=housed, agency=other_agency, reason="He followed her to Ganja."
    )

    for page in _pages(browse(outsider), housed):
        assert ADDRESS not in page
        assert SHELTER not in page
        assert HIDDEN in page


def test_the_case_list_never_shows_the_address(browse, colleague, housed):
    page = browse(colleague).get("/cases/").content.decode()

    assert housed.reference in page
    assert ADDRESS not in page
    assert SHELTER not in page
