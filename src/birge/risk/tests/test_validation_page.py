"""The validation page: analysts and coordinators see aggregates; everyone else a 404."""

from datetime import date

import pytest
from django.test import Client
from django.urls import include, path

import birge.urls
from birge.agencies.tests.factories import UserFactory
from birge.cases.models import Case
from birge.risk.models import InstrumentVersion
from birge.risk.tests.validation_data import Writer, instrument_version

# Until the project's URLconf includes the page: the project's routes plus this one.
urlpatterns = [
    *birge.urls.urlpatterns,
    path("risk/validation/", include("birge.risk.urls_validation")),
]

pytestmark = pytest.mark.urls(__name__)

URL = "/risk/validation/"


@pytest.fixture
def browse(sign_in):
    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


@pytest.fixture
def coordinator(police):
    return UserFactory(username="coordinator", agency=police, roles=["case_coordinator"])


@pytest.fixture
def data(officer):
    version = instrument_version("validation-page-test", "1")
    write = Writer(officer, version)
    old = date(2024, 1, 10)
    write.many("standard", old, count=40, outcomes=10, score=5)
    write.many("medium", old, count=30, outcomes=12, score=11)
    write.many("high", old, count=20, outcomes=10, score=15)
    write.many("critical", old, count=3, outcomes=2, score=20)
    return version


@pytest.mark.parametrize("who", ["analyst", "coordinator"])
def test_analysts_and_coordinators_see_the_report(request, browse, data, who):
    user = request.getfixturevalue(who)
    response = browse(user).get(URL, {"version": data.pk, "horizon": "6"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Within 6 months" in page and "Within 3 months" not in page
    assert "<svg" in page and "Observed rate" in page
    assert "AUC of the level" in page and "AUC of the score" in page
    # The three critical assessments are reported with the high ones, and every figure
    # comes with its 95% interval.
    assert "High to critical" in page
    assert "By severity of the outcome" in page and "By region" in page
    assert page.count("–") > 10
    # Aggregates only: no case number anywhere.
    for case in Case.objects.all()[:20]:
        assert case.reference not in page


def test_every_horizon_by_default_and_the_computed_level(browse, analyst, data):
    response = browse(analyst).get(URL, {"version": data.pk, "level": "computed_level"})
    page = response.content.decode()
    assert response.status_code == 200
    for months in (3, 6, 12):
        assert f"Within {months} months" in page


def test_without_instrument_versions(browse, analyst, db):
    InstrumentVersion.objects.all().delete()
    response = browse(analyst).get(URL)
    assert response.status_code == 200
    assert "no instrument versions" in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "outsider", "lead", "auditor", "admin"])
def test_others_get_404(request, browse, data, who):
    user = request.getfixturevalue(who)
    assert browse(user).get(URL, {"version": data.pk}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(data):
    response = Client().get(URL)
    assert response.status_code == 302


def test_the_questions_odds_ratios_on_request(browse, analyst, data):
    page = browse(analyst).get(URL, {"version": data.pk, "items": "on"}).content.decode()
    assert "odds ratio" in page


def test_a_bad_choice_answers_with_the_default_report(browse, analyst, data):
    response = browse(analyst).get(URL, {"version": "x", "horizon": "7", "grade": "?"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_instrument_versions_are_named_in_the_readers_language(browse, analyst, db):
    page = browse(analyst).get(URL).content.decode()

    assert "Birge risk checklist, version 2" in page
    assert ">birge-checklist v2<" not in page


def test_instrument_versions_are_named_in_azerbaijani_too(sign_in, analyst, db):
    client = Client()
    client.cookies["birge_language"] = "az"

    page = sign_in(client, analyst).get(URL).content.decode()

    assert "Birge risk yoxlama siyahısı, versiya 2" in page
