"""The counts page: flagged phrases per month for analysts and the coordinating body,
never who wrote them; everyone else gets a 404."""

import pytest

from birge.agencies.tests.factories import UserFactory
from birge.words.services import phrase_counts_add

COUNTS = "/words/counts/"


@pytest.fixture
def coordinating_body(db):
    return UserFactory(username="national_coordinator", roles=["case_coordinator"])


def test_the_analyst_sees_the_counts_by_rule_and_month_without_authors(
    browse, analyst, officer, case
):
    browse(officer).post(
        f"/cases/{case.pk}/incidents/new/",
        {
            "occurred_on": "2026-01-10",
            "weapon": "none",
            "forms": ["physical"],
            "narrative": "She provoked him.",
        },
    )
    phrase_counts_add(codes=["provoked", "passive_hidden"])

    response = browse(analyst).get(COUNTS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<code>provoked</code>" in page
    assert "Blames the victim" in page
    assert "Hides the perpetrator" in page
    assert ">2</td>" in page
    assert officer.username not in page
    assert case.reference not in page


def test_the_page_says_when_nothing_was_flagged(browse, analyst):
    assert b"Nothing has been flagged" in browse(analyst).get(COUNTS).content


@pytest.mark.parametrize("cast", ["officer", "outsider", "auditor"])
def test_everyone_else_gets_404(browse, cast, request):
    assert browse(request.getfixturevalue(cast)).get(COUNTS).status_code == 404


def test_the_coordinating_body_sees_it(browse, coordinating_body):
    assert browse(coordinating_body).get(COUNTS).status_code == 200


def test_a_stranger_is_sent_to_sign_in(client):
    assert client.get(COUNTS).status_code == 302


def test_the_analyst_s_home_page_links_the_counts(browse, analyst):
    assert b'href="/words/counts/"' in browse(analyst).get("/").content
