"""An instrument version whose stored source no longer parses must not take a case page
or the risk pages down: the stored level is shown, with a notice saying why no more."""

import pytest

from birge.risk.models import InstrumentVersion


@pytest.fixture
def unreadable(checklist):
    """The checklist's stored source broken after assessments were made with it."""

    def unreadable() -> None:
        InstrumentVersion.objects.filter(pk=checklist.pk).update(source="{}", sha256="f" * 64)

    return unreadable


def test_the_case_page_shows_the_stored_level_and_a_notice(
    browse, officer, case, assess, unreadable
):
    assess(officer, case, "strangulation")
    unreadable()

    response = browse(officer).get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "High" in html
    assert html.count("can no longer be read") >= 1


def test_the_api_reads_the_assessment_with_its_stored_level(api, officer, case, assess, unreadable):
    assessment = assess(officer, case, "strangulation")
    unreadable()

    response = api(officer).get(f"/api/v1/cases/{case.pk}/assessments/{assessment.pk}/")

    assert response.status_code == 200
    assert response.json()["final_level"] == "high"


def test_the_assessment_page_shows_the_stored_level_and_a_notice(
    browse, officer, case, assess, unreadable
):
    assessment = assess(officer, case, "strangulation")
    unreadable()

    response = browse(officer).get(f"/cases/{case.pk}/risk/{assessment.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "High" in html
    assert "birge-checklist v1" in html
    assert "can no longer be read; its stored level is shown" in html
