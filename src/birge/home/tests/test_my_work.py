"""My work: each role sees the work that waits for it, the most urgent first, only on
cases it may see; the header counts it; the API gives the same."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from birge.cases.models import Case
from birge.cases.services import case_share, emergency_access_start
from birge.cases.tests.factories import register_case
from birge.conferences import services as conference_services
from birge.conferences.models import ConferenceAction
from birge.notifications.models import Notification
from birge.referrals.models import Referral

REASON = "She called the duty officer at night, in danger"


def _section(page: str, kind: str) -> str:
    """The HTML of one section of the home page ('' when it is not there)."""
    start = page.find(f'id="work-{kind}"')
    if start < 0:
        return ""
    return page[start : page.find("</section>", start)]


def _overdue(referral, hours: int) -> None:
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - timedelta(hours=hours))


def test_the_receiving_agency_sees_the_referrals_it_must_answer_overdue_first(
    browse, officer, shelter_worker, outsider, refer, protocol
):
    later = refer(officer, register_case(officer))
    late = refer(officer, register_case(officer))
    _overdue(late, 2)

    page = browse(shelter_worker).get("/").content.decode()
    section = _section(page, "referrals")

    assert ">2</span>" in section
    assert section.index(late.case.reference) < section.index(later.case.reference)
    assert f'href="/referrals/{late.pk}/"' in section
    assert "overdue" in section
    # The referring side has nothing to answer; the outsider sees no referral at all.
    assert later.case.reference not in browse(outsider).get("/").content.decode()
    assert later.case.reference not in _section(
        browse(officer).get("/").content.decode(), "referrals"
    )


def test_reassessments_due_are_listed_for_those_who_may_see_the_case(
    browse, officer, outsider, case
):
    Case.objects.filter(pk=case.pk).update(reassessment_due_at=timezone.now() - timedelta(days=1))
    soon = register_case(officer)
    Case.objects.filter(pk=soon.pk).update(reassessment_due_at=timezone.now() + timedelta(days=2))
    distant = register_case(officer)
    Case.objects.filter(pk=distant.pk).update(
        reassessment_due_at=timezone.now() + timedelta(days=60)
    )

    section = _section(browse(officer).get("/").content.decode(), "reassessments")

    assert section.index(case.reference) < section.index(soon.reference)
    assert distant.reference not in section
    assert f'href="/cases/{case.pk}/risk/new/"' in section
    outsider_page = browse(outsider).get("/").content.decode()
    assert case.reference not in outsider_page
    assert soon.reference not in outsider_page


def test_the_responsible_agency_sees_the_conference_actions_it_owes(
    browse, chair, coordinator, social, social_worker, officer, outsider, in_session, item
):
    conference_services.item_discuss(
        actor=chair, item=item, summary="Threats.", victim_view="Keep him away.", risks="A knife."
    )
    action = conference_services.action_add(
        actor=chair,
        item=item,
        text="Arrange a place at the school nearer the shelter.",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate(),
        concerns=["children"],
    )
    # A day later it is overdue.
    ConferenceAction.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )

    section = _section(browse(social_worker).get("/").content.decode(), "actions")

    assert item.case.reference in section
    assert f'href="/conferences/actions/{action.pk}/"' in section
    assert "overdue" in section
    assert item.case.reference not in browse(outsider).get("/").content.decode()


def test_the_chair_sees_the_conference_queue(browse, chair, queued, outsider):
    section = _section(browse(chair).get("/").content.decode(), "queue")

    assert queued.case.reference in section
    assert f'href="/conferences/series/{queued.series_id}/"' in section
    assert _section(browse(outsider).get("/").content.decode(), "queue") == ""


def test_the_auditor_sees_emergency_accesses_awaiting_review(browse, auditor, shelter_worker, case):
    grant = emergency_access_start(user=shelter_worker, reference=case.reference, reason=REASON)

    section = _section(browse(auditor).get("/").content.decode(), "emergency_reviews")

    assert f'href="/cases/emergency/review/{grant.pk}/"' in section
    assert _section(browse(shelter_worker).get("/").content.decode(), "emergency_reviews") == ""


def test_cases_newly_shared_with_the_agency_are_listed(
    browse, coordinator, shelter, shelter_worker, outsider, high_risk_case
):
    case_share(
        actor=coordinator,
        case=high_risk_case,
        agency=shelter,
        reason="High risk: he threatened to kill her; the shelter must know.",
    )

    section = _section(browse(shelter_worker).get("/").content.decode(), "shared")

    assert high_risk_case.reference in section
    assert f'href="/cases/{high_risk_case.pk}/"' in section
    assert high_risk_case.reference not in browse(outsider).get("/").content.decode()
    # Once someone of the agency opened it, it is no longer new.
    assert browse(shelter_worker).get(f"/cases/{high_risk_case.pk}/").status_code == 200
    section = _section(browse(shelter_worker).get("/").content.decode(), "shared")
    assert high_risk_case.reference not in section


def test_the_analyst_finds_the_figures_and_no_case_work(browse, analyst, series):
    page = browse(analyst).get("/").content.decode()

    assert 'href="/risk/validation/"' in page
    assert 'href="/referrals/compliance/"' in page
    assert f'href="/conferences/series/{series.pk}/figures/"' in page
    assert 'id="work-referrals"' not in page
    assert 'id="work-reassessments"' not in page


def test_the_header_counts_what_waits_and_the_roles_stay_below(
    browse, officer, shelter_worker, refer, protocol
):
    refer(officer, register_case(officer))
    refer(officer, register_case(officer))

    page = browse(shelter_worker).get("/cases/").content.decode()

    assert 'aria-label="2 waiting"' in page
    home = browse(shelter_worker).get("/").content.decode()
    assert "Your roles" in home
    assert home.index('id="work-referrals"') < home.index("Your roles")


def test_the_badge_counts_once_a_minute_and_the_home_page_counts_afresh(
    browse, officer, shelter_worker, refer, protocol
):
    refer(officer, register_case(officer))
    client = browse(shelter_worker)
    assert 'aria-label="1 waiting"' in client.get("/cases/").content.decode()

    # New work: other pages keep the counted number for a minute (counting every section
    # through the access policy would cost each page as much as its own work)...
    refer(officer, register_case(officer))
    assert 'aria-label="1 waiting"' in client.get("/cases/").content.decode()
    # ...the home page counts afresh, and from then on the header says what it says.
    home = client.get("/").content.decode()
    assert 'aria-label="2 waiting"' in home
    assert 'aria-label="2 waiting"' in client.get("/cases/").content.decode()


@pytest.mark.parametrize("who", ["chair", "lead"])
def test_only_those_who_may_register_cases_see_the_link(browse, request, who, chair, lead):
    assert (
        'href="/cases/new/"' not in browse(request.getfixturevalue(who)).get("/").content.decode()
    )


def test_the_register_link_leads_to_the_form(browse, officer):
    client = browse(officer)

    assert 'href="/cases/new/"' in client.get("/").content.decode()
    assert client.get("/cases/new/").status_code == 200


def test_the_home_page_reads_a_constant_number_of_queries(
    browse, officer, shelter_worker, refer, protocol
):
    client = browse(shelter_worker)
    refer(officer, register_case(officer))
    client.get("/")  # warm: sessions, language, two-factor device

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(12):
        refer(officer, register_case(officer))
    assert queries() == few
    assert few <= 25


# --- Notifications -------------------------------------------------------------------


def test_notifications_are_listed_newest_first(browse, officer):
    for number in range(3):
        Notification.objects.create(recipient=officer, kind=f"test.kind{number}", params={})

    page = browse(officer).get("/notifications/").content.decode()

    assert page.index("test.kind2") < page.index("test.kind1") < page.index("test.kind0")
