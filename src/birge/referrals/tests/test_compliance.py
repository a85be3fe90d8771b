"""Keeping promises: the figures on a known set of referrals, computed by hand, and the
page, which agency leads see for their own agency, the coordinating body for all, and
everyone else as a 404."""

import base64
from datetime import datetime, timedelta

import pytest
from django.test import Client

from birge.agencies.models import Service
from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases.tests.factories import register_case
from birge.referrals.compliance import compliance_by_agency, compliance_figures
from birge.referrals.models import Referral

UTC = datetime.now().astimezone().tzinfo
T0 = datetime(2026, 3, 2, 9, 0).astimezone(UTC)
NOW = T0 + timedelta(days=1)
SUMMARY = "Needs a lawyer for the custody hearing next week."
H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _known_keys(settings):
    settings.BIRGE_ENCRYPTION_KEYS = ["k1:" + base64.b64encode(bytes(range(32))).decode()]
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64


@pytest.fixture
def shelter(db):
    return AgencyFactory(code="shelter-baku", kind="shelter_ngo", name_en="Baku shelter")


@pytest.fixture
def legal_aid(db):
    return AgencyFactory(code="legal-aid-baku", kind="legal_aid", name_en="Baku legal aid")


def service(agency, kind):
    return Service.objects.create(
        agency=agency, kind=kind, name_az=kind, name_ru=kind, name_en=kind
    )


@pytest.fixture
def case(officer):
    return register_case(officer, victim={"first_name": "Gülnarə", "last_name": "Məmmədova"})


@pytest.fixture
def referrals(case, officer, shelter, legal_aid):
    """The known set (hours after T0; the figures are computed by hand in the tests):

    shelter, shelter service (promise 4 h): answered after 1, 3 (in time) and 6 h (late);
    one still waiting past its due time; one sent an hour before NOW (not yet due); one
    withdrawn unanswered. Shelter, psychological support (promise 24 h): answered after 2 h.
    Legal aid (promise 8 h): answered after 10 and 20 h (both late).
    """
    shelter_service = service(shelter, "shelter")
    psychological = service(shelter, "psychological")
    lawyers = service(legal_aid, "legal_aid")

    def refer(to, *, promise, answered_after=None, status="sent", sent_at=T0):
        fields = {}
        if answered_after is not None:
            fields["responded_at"] = sent_at + answered_after
        return Referral.objects.create(
            case=case,
            from_agency=officer.agency,
            to_agency=to.agency,
            service=to,
            summary=SUMMARY,
            status=status,
            created_by=officer,
            sent_at=sent_at,
            due_at=sent_at + promise,
            **fields,
        )

    refer(shelter_service, promise=4 * H, answered_after=1 * H, status="accepted")
    refer(shelter_service, promise=4 * H, answered_after=3 * H, status="declined")
    refer(shelter_service, promise=4 * H, answered_after=6 * H, status="in_progress")
    refer(shelter_service, promise=4 * H)
    refer(shelter_service, promise=4 * H, sent_at=NOW - H)
    refer(shelter_service, promise=4 * H, status="withdrawn")
    refer(psychological, promise=24 * H, answered_after=2 * H, status="completed")
    refer(lawyers, promise=8 * H, answered_after=10 * H, status="accepted")
    refer(lawyers, promise=8 * H, answered_after=20 * H, status="declined")


def figures(**kwargs):
    return {
        (row.agency_id, row.service_kind): (
            row.answered,
            row.share_in_time,
            row.median_hours,
            row.overdue,
        )
        for row in compliance_figures(now=NOW, **kwargs)
    }


def test_the_figures_on_a_known_set_of_referrals(referrals, shelter, legal_aid):
    assert figures() == {
        # 2 in time of 3 answered and 1 past due unanswered; median of 1, 3, 6 hours.
        (shelter.pk, "shelter"): (3, 50.0, 3.0, 1),
        (shelter.pk, "psychological"): (1, 100.0, 2.0, 0),
        # Median of 10 and 20 hours.
        (legal_aid.pk, "legal_aid"): (2, 0.0, 15.0, 0),
    }


def test_the_chart_sums_each_agency(referrals, shelter, legal_aid):
    shares = {
        s.agency_id: s.share_in_time for s in compliance_by_agency(compliance_figures(now=NOW))
    }

    assert shares == {shelter.pk: 60.0, legal_aid.pk: 0.0}


def test_figures_for_one_agency(referrals, shelter):
    assert set(figures(agency=shelter)) == {(shelter.pk, "shelter"), (shelter.pk, "psychological")}


def test_figures_since_a_date_keep_what_is_overdue_now(referrals, shelter):
    # Only the referral sent an hour before NOW is in the period: nothing answered or
    # judged yet; the referral overdue since T0 is still overdue now.
    assert figures(since=NOW - 2 * H) == {(shelter.pk, "shelter"): (0, None, None, 1)}


def test_figures_up_to_a_moment_count_the_referrals_sent_before_it(referrals, shelter, legal_aid):
    # Everything but the referral sent an hour before NOW (not yet due) was sent at T0.
    assert figures(until=T0 + H) == figures()
    # None sent before T0: nothing in the period; what is overdue now stays overdue.
    assert figures(until=T0) == {(shelter.pk, "shelter"): (0, None, None, 1)}
    assert figures(since=T0, until=NOW) == figures()


def test_the_figures_take_three_queries_however_many_referrals(
    referrals, django_assert_num_queries
):
    with django_assert_num_queries(3):
        compliance_figures(now=NOW)


# --- The page ----------------------------------------------------------------------------


@pytest.fixture
def browse(sign_in):
    def browse(user) -> Client:
        client = Client()
        client.cookies["birge_language"] = "en"
        return sign_in(client, user)

    return browse


@pytest.fixture
def shelter_lead(shelter):
    return UserFactory(username="shelter_lead", agency=shelter, roles=["agency_lead"])


def page(client, query="") -> tuple[int, str]:
    response = client.get("/referrals/compliance/" + query)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_the_coordinating_body_sees_every_agency(referrals, browse, who, request):
    status, html = page(browse(request.getfixturevalue(who)))

    assert status == 200
    assert "Baku shelter" in html
    assert "Baku legal aid" in html
    assert "<svg" in html


@pytest.fixture
def unsuppressed(settings):
    """Small numbers shown as they are, to check the page's arithmetic on a handful of
    referrals (their suppression: test_compliance_disclosure.py)."""
    settings.BIRGE_STATS_MIN_CELL = 0


def test_an_agency_lead_sees_only_her_agency(referrals, browse, shelter_lead, unsuppressed):
    status, html = page(browse(shelter_lead))

    assert status == 200
    assert "Baku shelter" in html
    assert "Baku legal aid" not in html
    assert "50%" in html
    assert "Psychological support" in html


@pytest.mark.parametrize("who", ["officer", "outsider", "auditor"])
def test_everyone_else_gets_a_404(referrals, browse, who, request):
    status, _html = page(browse(request.getfixturevalue(who)))

    assert status == 404


def test_the_page_shows_no_personal_data(referrals, browse, analyst, case):
    _status, html = page(browse(analyst))

    for secret in ["Gülnarə", "Məmmədova", case.reference, SUMMARY]:
        assert secret not in html


def test_the_page_filters_by_date_and_ignores_a_bad_one(referrals, browse, analyst):
    assert page(browse(analyst), "?since=2099-01-01")[1].count("<tr>") == 1 + 1  # head, overdue
    status, html = page(browse(analyst), "?since=not-a-date")
    assert status == 200
    assert "Baku legal aid" in html


def test_the_page_counts_up_to_and_including_a_day_and_refuses_a_start_after_it(
    referrals, browse, analyst
):
    day_before = (T0 - timedelta(days=1)).date().isoformat()
    # Nothing sent up to the day before: only the row of what is overdue now.
    assert page(browse(analyst), f"?until={day_before}")[1].count("<tr>") == 1 + 1
    status, html = page(browse(analyst), f"?since={T0.date().isoformat()}&until={day_before}")
    assert status == 200
    assert "The first date is after the last one" in html
    status, html = page(browse(analyst), "?until=0001-01-01")
    assert status == 200
    assert "Give a date from 2000-01-01 to 2999-12-31." in html


def test_signed_out_visitors_are_sent_to_sign_in(referrals, client):
    response = client.get("/referrals/compliance/")

    assert response.status_code == 302
