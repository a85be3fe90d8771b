"""Nothing falsely reassures: a result the answers cannot support ("incomplete": a critical
question, or more than one answer in five, not known or declined) and her fear for her
life or a child's below high cannot stand without a professional judgement: a level chosen
by the professional and a written reason of at least 10 characters. On every route, since
the rule is in the one decision (`level_decide`)."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from birge.cases.models import Case
from birge.risk import services
from birge.risk.models import RiskAssessment

REASON = "She could not say; he has a record of violence, so I keep it at medium."
Status = RiskAssessment.Status


def _level(case) -> str:
    return Case.objects.get(pk=case.pk).risk_level


@pytest.fixture
def draft(officer, case, checklist_v2, answers_for):
    """`draft(*yes, fear=..., **answers)`: a draft of the checklist, version 2."""

    def draft(*yes, fear=RiskAssessment.Fear.NOT_ASKED, default="no", **values):
        return services.assessment_draft_save(
            actor=officer,
            case=case,
            instrument_version=checklist_v2,
            answers=answers_for(checklist_v2, *yes, default=default, **values),
            victim_fear=fear,
        )

    return draft


def _refused(assessment, **judgement) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.assessment_submit(actor=assessment.assessed_by, assessment=assessment, **judgement)
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    return caught.value.message_dict


# --- Incomplete -------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["unknown", "declined"])
def test_nothing_known_cannot_be_submitted_at_its_computed_level(case, draft, answer):
    everything = draft(default=answer)
    assert everything.computed_level == "standard"

    assert "final_level" in _refused(everything)
    errors = _refused(everything, final_level="standard")
    assert "incomplete" in errors["judgement_reason"][0]
    assert (
        "incomplete"
        in _refused(everything, final_level="standard", judgement_reason="unsure")[
            "judgement_reason"
        ][0]
    )
    assert _level(case) == ""  # no level, rather than a clean standard


def test_with_a_judged_level_and_its_reason_an_incomplete_result_is_submitted(case, draft):
    declined = draft(default="declined")

    services.assessment_submit(
        actor=declined.assessed_by,
        assessment=declined,
        final_level="medium",
        judgement_reason=REASON,
    )

    declined.refresh_from_db()
    assert (declined.status, declined.final_level) == (Status.SUBMITTED, "medium")
    assert _level(case) == "medium"


def test_standard_too_may_be_judged_but_only_with_its_reason(case, draft):
    unsure = draft(strangulation="unknown")

    services.assessment_submit(
        actor=unsure.assessed_by,
        assessment=unsure,
        final_level="standard",
        judgement_reason="She says he never touched her neck; her sister confirms it.",
    )

    assert _level(case) == "standard"


def test_a_critical_question_not_known_with_a_yes_elsewhere_still_needs_the_judgement(case, draft):
    partial = draft("threat_to_kill", weapon_used="declined")
    assert partial.computed_level == "high"

    assert "judgement_reason" in _refused(partial, final_level="high")

    services.assessment_submit(
        actor=partial.assessed_by,
        assessment=partial,
        final_level="critical",
        judgement_reason="She would not say if he has the knife with him now.",
    )
    assert _level(case) == "critical"


def test_the_decision_itself_refuses_an_incomplete_result_without_a_reason(case, draft):
    """Every route ends in `_assessment_settle`: a route that skipped the form's checks
    still meets the rule."""
    everything = draft(default="unknown")
    everything.final_level = "standard"
    everything.judgement_reason = ""

    with pytest.raises(ValidationError), transaction.atomic():
        services._assessment_settle(actor=everything.assessed_by, assessment=everything)

    assert _level(case) == ""
    assert RiskAssessment.objects.get(pk=everything.pk).status == Status.DRAFT


def test_level_decide_names_what_needs_the_judgement():
    with pytest.raises(ValidationError) as caught:
        services.level_decide(
            in_force="",
            computed="standard",
            proposed="standard",
            judgement_required=("incomplete",),
            judgement_reason="too short",
        )
    assert "judgement_reason" in caught.value.message_dict
    decided = services.level_decide(
        in_force="",
        computed="standard",
        proposed="standard",
        judgement_required=("incomplete",),
        judgement_reason=REASON,
    )
    assert (decided.level, decided.needs_approval) == ("standard", False)
    # A judged level lower than the one in force still waits for a second opinion.
    lower = services.level_decide(
        in_force="high",
        computed="standard",
        proposed="standard",
        judgement_required=("incomplete",),
        judgement_reason=REASON,
    )
    assert (lower.level, lower.needs_approval) == ("high", True)


def test_version_1_keeps_the_rules_it_was_published_with(case, officer, checklist, answers_for):
    """It has no incomplete rule: its assessments are recomputed as they were made."""
    old = services.assessment_draft_save(
        actor=officer,
        case=case,
        instrument_version=checklist,
        answers=answers_for(checklist, default="unknown"),
    )
    services.assessment_submit(actor=officer, assessment=old)
    assert _level(case) == "standard"


# --- Her fear ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fear", ["very_afraid", "child_life"])
def test_her_fear_for_a_life_needs_a_written_answer_below_high(case, draft, fear):
    afraid = draft(fear=fear)

    errors = _refused(afraid)
    assert "very afraid" in errors["judgement_reason"][0]
    assert "judgement_reason" in _refused(afraid, final_level="medium", judgement_reason="no")
    assert _level(case) == ""

    services.assessment_submit(
        actor=afraid.assessed_by,
        assessment=afraid,
        final_level="medium",
        judgement_reason="He is in custody until March; we meet again when he is released.",
    )
    assert _level(case) == "medium"


def test_at_high_her_fear_needs_no_further_reason(case, draft):
    afraid = draft("threat_to_kill", fear="very_afraid")

    services.assessment_submit(actor=afraid.assessed_by, assessment=afraid)

    assert _level(case) == "high"


@pytest.mark.parametrize("fear", ["not_asked", "not_afraid", "afraid"])
def test_other_answers_about_her_fear_need_nothing_more(case, draft, fear):
    calm = draft(fear=fear)
    services.assessment_submit(actor=calm.assessed_by, assessment=calm)
    assert _level(case) == "standard"


# --- Pages and API -------------------------------------------------------------------------------


def test_the_page_says_incomplete_offers_no_level_and_refuses_without_a_judgement(
    browse, officer, case, draft
):
    declined = draft(default="declined")
    client = browse(officer)
    url = f"/cases/{case.pk}/risk/{declined.pk}/"

    page = unescape(client.get(url).content.decode())
    refused = client.post(f"{url}submit/", {"final_level": "", "judgement_reason": ""})
    judged = client.post(f"{url}submit/", {"final_level": "medium", "judgement_reason": REASON})

    assert "Incomplete: professional judgement required." in page
    assert '<option value="" selected>' in page  # no level offered
    assert "Standard risk" not in page
    assert refused.status_code == 400
    assert "choose the level by your professional judgement" in unescape(refused.content.decode())
    assert judged.status_code == 302
    assert _level(case) == "medium"
    shown = unescape(client.get(url).content.decode())
    assert "Professional judgement set medium (the instrument gave standard)" in shown


def test_the_page_asks_for_a_written_answer_to_her_fear(browse, officer, case, draft):
    afraid = draft(fear="very_afraid")
    client = browse(officer)
    url = f"/cases/{case.pk}/risk/{afraid.pk}/"

    page = unescape(client.get(url).content.decode())
    refused = client.post(f"{url}submit/", {"final_level": "standard", "judgement_reason": ""})

    assert "She is very afraid for her life or a child's." in page
    assert "She is very afraid for her life (her own view)" in page
    assert refused.status_code == 400
    assert _level(case) == ""


def _post(client, case, **body):
    body.setdefault("instrument", "birge-checklist")
    return client.post(
        f"/api/v1/cases/{case.pk}/assessments/", body, content_type="application/json"
    )


def test_the_api_explains_an_incomplete_draft_and_refuses_to_submit_it_unjudged(
    api, officer, case, checklist_v2, answers_for
):
    client = api(officer)
    everything = answers_for(checklist_v2, default="unknown")

    draft = _post(client, case, answers=everything)
    refused = _post(client, case, answers=everything, submit=True)
    unreasoned = _post(client, case, answers=everything, submit=True, final_level="standard")
    judged = _post(
        client, case, answers=everything, submit=True, final_level="medium", judgement_reason=REASON
    )

    body = draft.json()
    assert draft.status_code == 201
    assert (body["instrument_version"], body["incomplete"]) == ("2", True)
    assert body["reason_codes"][0] == "level_incomplete"
    assert body["reasons"][0].startswith("Incomplete: professional judgement required")
    assert {"incomplete_critical", "incomplete_share"} <= set(body["reason_codes"])
    assert refused.status_code == 400 and "final_level" in refused.json()
    assert unreasoned.status_code == 400 and "judgement_reason" in unreasoned.json()
    assert judged.status_code == 201
    assert judged.json()["reasons"][0] == "Medium risk."
    assert _level(case) == "medium"


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("az", "Qiymətləndirmə natamamdır: peşəkar rəy tələb olunur"),
        ("ru", "Оценка неполная: требуется профессиональное суждение"),
        ("en", "Incomplete: professional judgement required"),
    ],
)
def test_incomplete_is_explained_in_three_languages(
    api, officer, case, checklist_v2, answers_for, language, headline
):
    everything = answers_for(checklist_v2, default="declined")
    body = _post(api(officer, language=language), case, answers=everything).json()
    assert body["reasons"][0].startswith(headline)


def test_the_api_refuses_her_fear_below_high_without_a_reason(
    api, officer, case, checklist_v2, answers_for
):
    response = _post(
        api(officer),
        case,
        answers=answers_for(checklist_v2),
        victim_fear="child_life",
        submit=True,
    )
    assert response.status_code == 400
    assert "judgement_reason" in response.json()
    assert not RiskAssessment.objects.filter(case=case).exists()


def test_the_case_page_lists_an_incomplete_draft_as_incomplete_not_as_standard(
    browse, officer, case, draft
):
    declined = draft(default="declined")

    page = unescape(browse(officer).get(f"/cases/{case.pk}/").content.decode())

    listed = next(line for line in page.splitlines() if f"/risk/{declined.pk}/" in line)
    assert "(incomplete)" in listed
    assert "Standard" not in listed
