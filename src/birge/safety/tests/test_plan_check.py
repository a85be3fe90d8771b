"""Before a plan is saved, its text is checked for the case's names and places: each one
is shown to the writer, marked, next to its section, with her text kept; she rewrites it
or saves anyway, and her copy leaves it out either way."""

import re

import pytest

from birge.audit.models import AuditEvent
from birge.cases import services as case_services
from birge.risk.services import assessment_judgement
from birge.safety import services
from birge.safety.models import SafetyPlan
from birge.safety.tests.conftest import ADDRESS, SECTIONS, SHELTER_LOCATION, url
from birge.safety.tests.pdftext import pdf_text

CONFIRM = re.compile(r'name="confirm" value="([0-9a-f]+)"')


def _form(plan, **sections) -> dict:
    return {"version": plan.version, "language": "az", **{**SECTIONS, **sections}}


def _name(plan, part: str) -> str:
    return plan.case.participants.get(part=part).person.first_name


def test_a_name_in_a_section_is_shown_marked_and_nothing_is_saved(browse, officer, plan):
    perpetrator = _name(plan, "perpetrator")
    typed = f"{perpetrator}dan uzaq dur, bacısına zəng et."

    response = browse(officer).post(url(plan, "edit/"), _form(plan, children=typed))

    assert response.status_code == 400
    html = response.content.decode()
    assert f"<mark>{perpetrator}dan</mark>" in html
    assert "the perpetrator&#x27;s name" in html
    assert "Her copy leaves the marked words out" in html
    assert typed in html  # her text, kept in the form
    assert CONFIRM.search(html)
    plan.refresh_from_db()
    assert plan.version == 1
    assert plan.revisions.count() == 1


def test_the_victims_address_and_the_shelter_are_marked_for_her_coordinator(browse, officer, plan):
    typed = f"Köhnə ünvan: Nizami küç. 77. Yeni yer: {SHELTER_LOCATION.split(': ')[1]}."

    response = browse(officer).post(url(plan, "edit/"), _form(plan, leaving=typed))

    html = response.content.decode()
    assert "<mark>Nizami küç. 77</mark>" in html
    assert "her address" in html
    assert "the shelter&#x27;s location" in html


def test_saving_anyway_keeps_her_text_for_the_agencies_and_leaves_it_out_of_her_copy(
    browse, officer, plan
):
    client = browse(officer)
    perpetrator = _name(plan, "perpetrator")
    data = _form(plan, children=f"{perpetrator} məktəbə gəlməsin.")
    confirm = CONFIRM.search(client.post(url(plan, "edit/"), data).content.decode()).group(1)

    response = client.post(url(plan, "edit/"), {**data, "confirm": confirm})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.revisions.first().children == f"{perpetrator} məktəbə gəlməsin."
    saved = AuditEvent.objects.filter(action="safety.plan_saved").latest("id")
    assert saved.data["left_out"] == 1
    assert perpetrator not in str(saved.data)
    text = pdf_text(client.get(url(plan, "pdf/")).content)
    assert perpetrator not in text
    assert "məktəbəgəlməsin." in text


def test_a_confirmation_holds_only_for_the_passages_she_was_shown(browse, officer, plan):
    client = browse(officer)
    perpetrator = _name(plan, "perpetrator")
    data = _form(plan, children=f"{perpetrator} məktəbə gəlməsin.")
    confirm = CONFIRM.search(client.post(url(plan, "edit/"), data).content.decode()).group(1)
    more = {**data, "leaving": "Nizami 77-dən çıx.", "confirm": confirm}

    response = client.post(url(plan, "edit/"), more)

    assert response.status_code == 400
    assert "<mark>Nizami 77-dən</mark>" in response.content.decode()
    assert plan.revisions.count() == 1


@pytest.mark.parametrize("confirm", ["", "0" * 32, "nonsense ə ∑ 😀", "x" * 10_000])
def test_any_other_confirmation_asks_again(browse, officer, plan, confirm):
    data = {**_form(plan, leaving=f"{ADDRESS}-dən çıx."), "confirm": confirm}

    response = browse(officer).post(url(plan, "edit/"), data)

    assert response.status_code == 400
    assert plan.revisions.count() == 1


def test_a_new_plan_is_checked_too(browse, officer, sheltered_case, victim):
    data = {"version": 0, "language": "az", **SECTIONS, "contacts": victim.person.first_name}

    response = browse(officer).post(f"/cases/{sheltered_case.pk}/safety/new/{victim.pk}/", data)

    assert response.status_code == 400
    assert "the victim&#x27;s name" in response.content.decode()
    assert not SafetyPlan.objects.filter(case=sheltered_case).exists()


def test_the_service_checks_whoever_calls_it(officer, plan):
    with pytest.raises(services.PlanMentionsError) as refused:
        services.safety_plan_save(
            actor=officer,
            case=plan.case,
            victim=plan.victim,
            sections={**SECTIONS, "digital": f"{ADDRESS}: wifi off"},
            language="az",
            version=plan.version,
        )

    assert set(refused.value.mentions) == {"digital"}
    assert refused.value.message_dict["digital"]


def test_a_writer_who_may_not_see_the_shelter_is_not_told_of_it_yet_her_copy_leaves_it_out(
    browse, officer, shelter, shelter_worker, plan
):
    assessment_judgement(actor=officer, case=plan.case, level="high", reason="Threats to kill.")
    plan.case.refresh_from_db()
    case_services.case_share(
        actor=officer, case=plan.case, agency=shelter, reason="She asked the shelter for a bed."
    )
    client = browse(shelter_worker)
    typed = f"Get to {SHELTER_LOCATION.split(': ')[1]} by taxi."

    response = client.post(url(plan, "edit/"), _form(plan, leaving=typed))

    assert response.status_code == 302  # nothing she may not see is pointed out to her
    text = pdf_text(client.get(url(plan, "pdf/")).content)
    assert "Babək" not in text
    assert "Gettoby" not in text
    assert "bytaxi." in text
