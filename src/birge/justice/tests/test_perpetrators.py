"""The perpetrator across cases: his page shows an agency only the cases it may see and
counts the others; a serial perpetrator (other victims elsewhere) is flagged to every
one of his cases' coordinators without naming the other victims or cases.

The cast: agency A (the Baku police: `officer`, `coordinator`) registered Aysel's case
against Rəşad Həsənov; agency C (the Ganja police: `ganja_officer`, `ganja_coordinator`)
registered Leyla's case against the same man, spelled otherwise; `stranger`, of a third
agency, is in neither circle."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birge.agencies.models import User
from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.cases.identity import possible_match_token
from birge.cases.models import CasePerson, Part
from birge.cases.tests.factories import consent_for, register_case
from birge.demo.perpetrators import serial_perpetrator_load
from birge.demo.services import demo_load
from birge.justice.models import Proceeding, ProtectionOrder
from birge.justice.services.perpetrators import SERIAL_KIND, serial_perpetrators_flag_all
from birge.notifications.kinds import notification_text
from birge.notifications.models import Notification

HIM = {"first_name": "Rəşad", "last_name": "Həsənov", "birth_date": date(1985, 2, 3)}
HIM_AGAIN = {"first_name": "Rashad", "last_name": "Gasanov", "birth_date": date(1985, 2, 3)}
AYSEL = {"first_name": "Aysel", "last_name": "Məmmədova", "birth_date": date(1990, 5, 1)}
LEYLA = {"first_name": "Leyla", "last_name": "Quliyeva", "birth_date": date(1992, 7, 9)}


@pytest.fixture
def ganja_officer(other_agency):
    return UserFactory(username="ganja_officer", agency=other_agency, roles=["frontline_officer"])


@pytest.fixture
def ganja_coordinator(other_agency):
    return UserFactory(
        username="ganja_coordinator", agency=other_agency, roles=["case_coordinator"]
    )


@pytest.fixture
def stranger(db):
    agency = AgencyFactory(code="police-sumqayit", kind="police")
    return UserFactory(username="stranger", agency=agency, roles=["case_coordinator"])


@pytest.fixture
def first(officer, coordinator):
    """Agency A's case: Aysel, and Rəşad Həsənov born 3 February 1985."""
    return register_case(officer, victim=AYSEL, perpetrator=HIM)


@pytest.fixture
def second(first, ganja_officer, ganja_coordinator):
    """Agency C's case: Leyla, and the same man (another spelling, the same birth date)."""
    return register_case(ganja_officer, victim=LEYLA, perpetrator=HIM_AGAIN)


def _him(case) -> CasePerson:
    return CasePerson.objects.get(case=case, part=Part.PERPETRATOR)


# --- His page -------------------------------------------------------------------------


def test_each_agency_sees_only_its_own_case_on_his_page(
    browse, coordinator, ganja_coordinator, first, second
):
    page = browse(coordinator).get(f"/justice/perpetrators/{_him(first).pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert first.reference in html
    assert second.reference not in html
    assert "Known in 1 other case your agency cannot see" in html
    # Never the other victim.
    assert "Leyla" not in html and "Quliyeva" not in html

    theirs = browse(ganja_coordinator).get(f"/justice/perpetrators/{_him(second).pk}/")
    html = theirs.content.decode()
    assert second.reference in html
    assert first.reference not in html
    assert "Aysel" not in html


def test_a_case_shared_with_her_agency_is_listed_too(
    browse, coordinator, ganja_coordinator, first, second
):
    case_services.consent_record(
        actor=ganja_coordinator, case=second, **consent_for(first.owning_agency)
    )
    case_services.case_share(actor=ganja_coordinator, case=second, agency=first.owning_agency)
    html = browse(coordinator).get(f"/justice/perpetrators/{_him(first).pk}/").content.decode()
    assert first.reference in html and second.reference in html
    assert "your agency cannot see" not in html


@pytest.mark.parametrize("who", ["stranger", "ganja_coordinator", "analyst"])
def test_whoever_cannot_see_the_case_gets_404_page_and_api(
    request, browse, api, first, second, who
):
    user = request.getfixturevalue(who)
    him = _him(first)
    assert browse(user).get(f"/justice/perpetrators/{him.pk}/").status_code == 404
    assert api(user).get(f"/api/v1/perpetrators/{him.pk}/").status_code == 404


def test_a_victim_is_not_a_perpetrator_page(browse, coordinator, first):
    victim = CasePerson.objects.get(case=first, part=Part.VICTIM)
    assert browse(coordinator).get(f"/justice/perpetrators/{victim.pk}/").status_code == 404


def test_his_page_is_read_like_a_case(browse, coordinator, first, second):
    browse(coordinator).get(f"/justice/perpetrators/{_him(first).pk}/")
    viewed = AuditEvent.objects.filter(action="case.viewed", actor=coordinator)
    assert list(viewed.values_list("object_id", flat=True)) == [str(first.pk)]
    event = AuditEvent.objects.get(action="justice.perpetrator_viewed")
    assert event.data == {"perpetrator": _him(first).pk, "cases": [first.pk], "hidden": 1}


def test_the_api_gives_the_same_page(api, coordinator, first, second):
    answer = api(coordinator).get(f"/api/v1/perpetrators/{_him(first).pk}/").json()
    assert [c["reference"] for c in answer["cases"]] == [first.reference]
    assert answer["hidden_cases"] == 1
    assert answer["other_victim_cases"] == 1
    assert answer["serial"] is True
    assert "Leyla" not in str(answer)


def test_his_orders_and_proceedings_in_her_cases_show_their_stage_not_their_details(
    browse, officer, coordinator, first
):
    him = _him(first)
    ProtectionOrder.objects.create(
        case=first,
        perpetrator=him.person,
        order_type="short_term",
        status=ProtectionOrder.Status.IN_FORCE,
        issuing_agency=first.owning_agency,
        ends_on=date(2030, 1, 31),
        recorded_by=officer,
    )
    Proceeding.objects.create(
        case=first,
        perpetrator=him.person,
        kind=Proceeding.Kind.CRIMINAL,
        stage=Proceeding.Stage.TRIAL,
        sentence="Secret words of the court",
        agency=first.owning_agency,
        opened_on=date(2026, 1, 5),
        recorded_by=officer,
    )
    html = browse(coordinator).get(f"/justice/perpetrators/{him.pk}/").content.decode()
    assert "Served and in force" in html and "2030-01-31" in html
    assert "Criminal: Trial" in html
    assert "Secret words" not in html


# --- The serial flag ------------------------------------------------------------------


def test_registering_his_second_victim_flags_both_cases_to_their_coordinators(
    coordinator, ganja_coordinator, first, second
):
    told = {n.recipient_id: n for n in Notification.objects.filter(kind=SERIAL_KIND)}
    assert set(told) == {coordinator.pk, ganja_coordinator.pk}
    mine, theirs = told[coordinator.pk], told[ganja_coordinator.pk]
    # Each is told of her own case, by number: never the other case, never a name.
    assert mine.params == {"reference": first.reference, "count": 1}
    assert theirs.params == {"reference": second.reference, "count": 1}
    assert mine.url == f"/cases/{first.pk}/"
    text = notification_text(mine.kind, mine.params)
    assert first.reference in text and second.reference not in text


def test_the_case_page_warns_its_circle_and_links_his_page(
    browse, officer, coordinator, first, second
):
    html = browse(officer).get(f"/cases/{first.pk}/").content.decode()
    assert "This perpetrator is known in 1 other case with another victim" in html
    assert f"/justice/perpetrators/{_him(first).pk}/" in html
    assert second.reference not in html
    assert "Leyla" not in html


def test_a_perpetrator_known_nowhere_else_is_not_flagged(browse, officer, first):
    html = browse(officer).get(f"/cases/{first.pk}/").content.decode()
    assert f"/justice/perpetrators/{_him(first).pk}/" in html
    assert "other victim" not in html
    assert not Notification.objects.filter(kind=SERIAL_KIND).exists()


def test_the_same_victim_again_is_repeat_victimisation_not_a_serial_perpetrator(
    browse, officer, colleague, coordinator, first
):
    register_case(
        colleague,
        victim={**AYSEL, "last_name": "Mammadova"},
        perpetrator=HIM_AGAIN,
    )
    assert not Notification.objects.filter(kind=SERIAL_KIND).exists()
    html = browse(officer).get(f"/cases/{first.pk}/").content.decode()
    assert "other victim" not in html


def test_a_third_victim_tells_them_again_with_the_new_count(
    coordinator, ganja_coordinator, first, second, stranger
):
    register_case(
        stranger,
        victim={"first_name": "Nərmin", "last_name": "Rzayeva", "birth_date": date(1995, 3, 3)},
        perpetrator=HIM,
    )
    counts = sorted(
        n.params["count"]
        for n in Notification.objects.filter(kind=SERIAL_KIND, recipient=coordinator)
    )
    assert counts == [1, 2]
    assert (
        Notification.objects.filter(kind=SERIAL_KIND, recipient=stranger).get().params["count"] == 2
    )


def test_a_coordinator_confirming_a_possible_match_flags_him(
    coordinator, ganja_coordinator, first, ganja_officer
):
    # The same first name and birth date, a surname differing in its ending only: a
    # possible match, not flagged until a coordinator confirms it.
    other = register_case(
        ganja_officer,
        victim=LEYLA,
        perpetrator={**HIM, "last_name": "Həsənova", "phone": "+994 55 9999999"},
    )
    assert not Notification.objects.filter(kind=SERIAL_KIND).exists()
    him = _him(other)
    case_services.identity_decide(
        actor=ganja_coordinator,
        case=other,
        participant=him,
        token=possible_match_token(person_id=him.person_id, other_person_id=_him(first).person_id),
        same=True,
    )
    assert Notification.objects.filter(kind=SERIAL_KIND, recipient=coordinator).exists()


def test_the_command_flags_what_was_there_before_once(
    coordinator, ganja_coordinator, first, second
):
    Notification.objects.filter(kind=SERIAL_KIND).delete()
    call_command("serial_perpetrators")
    assert Notification.objects.filter(kind=SERIAL_KIND).count() == 2
    call_command("serial_perpetrators")
    assert Notification.objects.filter(kind=SERIAL_KIND).count() == 2
    assert serial_perpetrators_flag_all().notifications == 0


# --- The demo -------------------------------------------------------------------------


def test_in_the_demo_an_agency_outside_one_of_his_cases_sees_only_its_own(browse, db):
    demo_load()
    call_command("demo_serial_perpetrator", force=True, stdout=StringIO())
    assert serial_perpetrator_load() is False  # again: nothing new
    outsider = User.objects.get(username="outsider")
    his = CasePerson.objects.filter(
        part=Part.PERPETRATOR, case__owning_agency=outsider.agency
    ).get()
    html = browse(outsider).get(f"/justice/perpetrators/{his.pk}/").content.decode()
    assert his.case.reference in html
    assert "Known in 1 other case your agency cannot see" in html
    assert "known in 1 other case with another victim" in html
    assert "Sadıqova" not in html


def test_his_page_costs_a_few_queries_per_case_of_his_not_per_record(
    browse, officer, coordinator, first
):
    client = browse(coordinator)
    url = f"/justice/perpetrators/{_him(first).pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2):
        register_case(
            officer,
            victim={"first_name": "Lalə", "last_name": f"Orucova{'x' * n}", "phone": ""},
            perpetrator=HIM,
        )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert page.count("BRG-") >= 4  # the back link and three cases
    # Per case of his: its read recorded, and its victim's identity (serial or repeat).
    assert len(three) <= len(one) + 2 * 5
