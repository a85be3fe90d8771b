"""A coordinator assesses a victim with the Birge checklist through the pages: drafts with
questions still open, the level and why, submitting, the next assessment falling due, the
risk conference's queue, and bad input that gets field messages rather than a 500."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.models import Case
from birge.risk import services
from birge.risk.models import RiskAssessment

THREAT_TO_KILL = "Yes to a critical question (threats to kill): this alone gives at least high."
TEN_ORDINARY = (
    "injury",
    "sexual_violence",
    "more_frequent",
    "getting_worse",
    "criminal_history",
    "control_jealousy",
    "stalking",
    "isolation",
    "financial_control",
    "harm_to_animals",
)


def _new(case, checklist) -> str:
    return f"/cases/{case.pk}/risk/new/?instrument={checklist.pk}"


def _text(response) -> str:
    return unescape(response.content.decode())


def _submit(client, assessment, **data):
    data.setdefault("final_level", assessment.computed_level)
    return client.post(
        f"/cases/{assessment.case_id}/risk/{assessment.pk}/submit/", {"judgement_reason": ""} | data
    )


def test_the_new_assessment_page_offers_both_shipped_instruments(browse, coordinator, case):
    response = browse(coordinator).get(f"/cases/{case.pk}/risk/new/")

    assert response.status_code == 200
    assert "Birge risk checklist" in _text(response)
    assert "Lethality screen" in _text(response)


def test_the_checklist_page_asks_every_question_in_the_readers_language(
    browse, coordinator, case, checklist
):
    response = browse(coordinator).get(_new(case, checklist))

    assert response.status_code == 200
    for item in checklist.instrument.items:
        assert item.texts["en"] in _text(response), item.id


def test_a_draft_with_questions_missing_is_saved_and_shows_the_level_and_why(
    browse, coordinator, case, checklist, answers, form_data
):
    client = browse(coordinator)

    response = client.post(
        _new(case, checklist), form_data(answers("threat_to_kill", missing=["fear", "isolation"]))
    )

    assessment = RiskAssessment.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/risk/{assessment.pk}/"
    assert assessment.status == RiskAssessment.Status.DRAFT
    assert assessment.submitted_at is None
    assert "fear" not in assessment.answers and assessment.answers["threat_to_kill"] == "yes"
    assert assessment.computed_level == "high"
    page = _text(client.get(response["Location"]))
    assert "High" in page
    assert THREAT_TO_KILL in page
    assert "Not answered yet: 2" in page
    case.refresh_from_db()
    assert case.risk_level == "" and case.reassessment_due_at is None


def test_submitting_with_questions_missing_names_each_of_them_and_submits_nothing(
    browse, coordinator, case, checklist, assess
):
    draft = assess(coordinator, case, "threat_to_kill", missing=["fear", "isolation"], submit=False)
    version = Case.objects.get(pk=case.pk).version

    response = _submit(browse(coordinator), draft)

    assert response.status_code == 400
    page = _text(response)
    for item in ("fear", "isolation"):
        assert f"Not answered: {checklist.instrument.item(item).texts['en']}" in page
    assert page.count("Not answered: ") == 2
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT
    assert draft.submitted_at is None and draft.final_level == ""
    case = Case.objects.get(pk=case.pk)
    assert case.version == version
    assert case.risk_level == "" and case.reassessment_due_at is None
    assert case.conference_queued_at is None


def test_submitting_every_answer_gives_the_case_its_level(
    browse, coordinator, case, checklist, answers, form_data
):
    client = browse(coordinator)
    client.post(_new(case, checklist), form_data(answers("threat_to_kill")))
    draft = RiskAssessment.objects.get(case=case)

    response = _submit(client, draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert (draft.computed_level, draft.final_level, draft.score) == ("high", "high", 1.0)
    assert draft.reasons[0][0] == "critical_item"  # what set the level comes first
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert AuditEvent.objects.filter(
        action="risk.assessment_submitted", object_id=str(case.pk), actor=coordinator
    ).exists()


@pytest.mark.parametrize(
    ("yes", "level", "reason", "hours"),
    [
        ((), "", "", 60 * 24),
        (TEN_ORDINARY, "", "", 30 * 24),
        (("weapon",), "", "", 7 * 24),
        (("weapon",), "critical", "He is outside her door with a knife now.", 72),
    ],
    ids=["standard-60-days", "medium-30-days", "high-7-days", "critical-72-hours"],
)
def test_the_level_sets_when_the_next_assessment_is_due(
    browse, coordinator, case, assess, time_machine, yes, level, reason, hours
):
    time_machine.move_to(timezone.now(), tick=False)
    draft = assess(coordinator, case, *yes, submit=False)

    response = _submit(
        browse(coordinator),
        draft,
        final_level=level or draft.computed_level,
        judgement_reason=reason,
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == (level or draft.computed_level)
    assert case.reassessment_due_at == timezone.now() + timedelta(hours=hours)


def test_the_due_dates_follow_the_setting(coordinator, case, assess, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.BIRGE_REASSESSMENT_HOURS = {**settings.BIRGE_REASSESSMENT_HOURS, "standard": 5}

    assess(coordinator, case)

    case.refresh_from_db()
    assert case.reassessment_due_at == timezone.now() + timedelta(hours=5)


@pytest.mark.parametrize("level", ["standard", "medium"])
def test_standard_and_medium_risk_do_not_go_to_the_conference(coordinator, case, assess, level):
    yes = TEN_ORDINARY if level == "medium" else ()

    assert assess(coordinator, case, *yes).final_level == level

    case.refresh_from_db()
    assert case.conference_queued_at is None


def test_high_risk_puts_the_case_in_the_conference_queue_once(
    browse, coordinator, case, assess, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    first = assess(coordinator, case, "threat_to_kill", submit=False)
    _submit(browse(coordinator), first)
    case.refresh_from_db()
    queued_at = case.conference_queued_at
    assert queued_at == timezone.now()

    time_machine.shift(timedelta(days=2))
    second = assess(coordinator, case, "strangulation", submit=False)
    _submit(
        browse(coordinator),
        second,
        final_level="critical",
        judgement_reason="She fears for her life tonight.",
    )

    case.refresh_from_db()
    assert case.risk_level == "critical"
    assert case.conference_queued_at == queued_at
    assert (
        AuditEvent.objects.filter(action="case.conference_queued", object_id=str(case.pk)).count()
        == 1
    )


def test_the_case_page_shows_the_level_and_the_conference_queue(browse, coordinator, case, assess):
    assess(coordinator, case, "threat_to_kill")

    page = _text(browse(coordinator).get(f"/cases/{case.pk}/"))

    assert 'class="level level-high"' in page
    assert "in the queue since" in page


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("item_threat_to_kill", "maybe", "Select a valid choice"),
        ("victim_fear", "terrified", "Select a valid choice"),
        ("victim_view", "x" * 4001, "Ensure this value has at most 4000 characters"),
    ],
)
def test_bad_answers_get_field_messages_and_store_nothing(
    browse, coordinator, case, checklist, answers, form_data, field, value, message
):
    response = browse(coordinator).post(
        _new(case, checklist), form_data(answers(), **{field: value})
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert message in _text(response)
    assert not RiskAssessment.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"final_level": "extreme"}, "final_level", "Select a valid choice"),
        (
            {"final_level": "critical", "judgement_reason": "y" * 4001},
            "judgement_reason",
            "Ensure this value has at most 4000 characters",
        ),
    ],
)
def test_bad_judgement_gets_field_messages_and_submits_nothing(
    browse, coordinator, case, assess, data, field, message
):
    draft = assess(coordinator, case, submit=False)

    response = browse(coordinator).post(f"/cases/{case.pk}/risk/{draft.pk}/submit/", data)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert message in _text(response)
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT
    assert Case.objects.get(pk=case.pk).risk_level == ""


def test_an_unknown_instrument_in_the_address_shows_the_choice_again(browse, coordinator, case):
    response = browse(coordinator).get(f"/cases/{case.pk}/risk/new/?instrument=nonsense")

    assert response.status_code == 200
    assert "Choose an instrument" in _text(response)


def test_submitting_is_a_post(browse, coordinator, case, assess):
    draft = assess(coordinator, case, submit=False)

    response = browse(coordinator).get(f"/cases/{case.pk}/risk/{draft.pk}/submit/")

    assert response.status_code == 405
    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT


# --- Immutability and corrections -----------------------------------------------------


def test_a_submitted_assessment_cannot_be_edited(
    browse, coordinator, case, assess, answers, form_data
):
    submitted = assess(coordinator, case, "threat_to_kill")
    client = browse(coordinator)
    edit = f"/cases/{case.pk}/risk/{submitted.pk}/edit/"

    assert client.get(edit).status_code == 404
    assert client.post(edit, form_data(answers())).status_code == 404

    unchanged = RiskAssessment.objects.get(pk=submitted.pk)
    assert unchanged.answers == submitted.answers
    assert (unchanged.status, unchanged.final_level) == ("submitted", "high")


def test_the_services_refuse_to_change_or_resubmit_a_submitted_assessment(
    coordinator, case, assess, answers, checklist
):
    submitted = assess(coordinator, case, "threat_to_kill")

    with pytest.raises(ValidationError):
        services.assessment_draft_save(
            actor=coordinator,
            case=case,
            instrument_version=checklist,
            answers=answers(),
            assessment=submitted,
        )
    with pytest.raises(ValidationError):
        services.assessment_submit(actor=coordinator, assessment=submitted, final_level="standard")

    submitted.refresh_from_db()
    assert submitted.answers == answers("threat_to_kill")
    assert submitted.final_level == "high"


def test_only_its_author_changes_a_draft(
    browse, coordinator, officer, case, assess, answers, form_data
):
    draft = assess(coordinator, case, "threat_to_kill", submit=False)
    client = browse(officer)

    assert client.get(f"/cases/{case.pk}/risk/{draft.pk}/edit/").status_code == 404
    client.post(f"/cases/{case.pk}/risk/{draft.pk}/submit/", {"final_level": "high"})

    draft.refresh_from_db()
    assert draft.status == RiskAssessment.Status.DRAFT
    assert draft.answers == answers("threat_to_kill")


def test_the_author_changes_her_draft_before_submitting(
    browse, coordinator, case, assess, answers, form_data
):
    draft = assess(coordinator, case, "threat_to_kill", submit=False)

    response = browse(coordinator).post(
        f"/cases/{case.pk}/risk/{draft.pk}/edit/", form_data(answers("weapon"))
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == answers("weapon")
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_correcting_makes_a_new_draft_linked_to_the_old_one_which_stays(
    browse, coordinator, case, assess, answers, form_data
):
    original = assess(coordinator, case, "threat_to_kill")
    client = browse(coordinator)

    response = client.post(f"/cases/{case.pk}/risk/{original.pk}/correct/")

    correction = RiskAssessment.objects.exclude(pk=original.pk).get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/risk/{correction.pk}/edit/"
    assert correction.corrects == original
    assert correction.status == RiskAssessment.Status.DRAFT
    assert correction.answers == original.answers

    client.post(response["Location"], form_data(answers()))
    _submit(client, RiskAssessment.objects.get(pk=correction.pk))

    correction.refresh_from_db()
    # Lower than the level in force: the correction waits for another agency's approval.
    assert (correction.status, correction.final_level) == ("pending_approval", "standard")
    assert Case.objects.get(pk=case.pk).risk_level == "high"
    kept = RiskAssessment.objects.get(pk=original.pk)
    assert (kept.status, kept.final_level, kept.answers) == (
        "submitted",
        "high",
        answers("threat_to_kill"),
    )
    assert kept.submitted_at == original.submitted_at
    page = _text(client.get(f"/cases/{case.pk}/risk/{correction.pk}/"))
    assert "This assessment corrects an earlier one." in page
    assert f"/cases/{case.pk}/risk/{original.pk}/" in page


def test_a_draft_is_not_corrected_but_edited(browse, coordinator, case, assess):
    draft = assess(coordinator, case, submit=False)

    browse(coordinator).post(f"/cases/{case.pk}/risk/{draft.pk}/correct/")

    assert RiskAssessment.objects.filter(case=case).count() == 1


# --- Risk over time on the case page ------------------------------------------------------


def test_the_case_page_charts_each_submitted_assessment_with_its_reasons(
    browse, officer, coordinator, case, assess, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    assess(officer, case, "injury")
    time_machine.shift(timedelta(days=7))
    assess(officer, case, "threat_to_kill")
    time_machine.shift(timedelta(days=1))
    draft = assess(officer, case, "weapon", submit=False)

    page = _text(browse(coordinator).get(f"/cases/{case.pk}/"))

    chart = re.search(r'<svg class="risk-chart".*?</svg>', page, re.S)
    assert chart is not None
    points = re.findall(r"<circle [^>]*><title>(.*?)</title></circle>", chart.group(0), re.S)
    assert len(points) == 2
    assert ": Standard" in points[0] and "Standard risk." in points[0]
    assert "Score 1 (below 10): the score alone does not raise the level." in points[0]
    assert ": High" in points[1] and THREAT_TO_KILL in points[1]
    assert THREAT_TO_KILL not in points[0]
    # Higher risk is drawn higher up.
    heights = [float(y) for y in re.findall(r'<circle cx="[^"]+" cy="([^"]+)"', chart.group(0))]
    assert heights[1] < heights[0]
    # The list holds every assessment, the draft too.
    for assessment in RiskAssessment.objects.filter(case=case):
        assert f'href="/cases/{case.pk}/risk/{assessment.pk}/"' in page
    assert draft.pk


def test_without_a_submitted_assessment_there_is_no_chart(
    browse, officer, coordinator, case, assess
):
    assess(officer, case, "weapon", submit=False)

    page = _text(browse(coordinator).get(f"/cases/{case.pk}/"))

    assert "risk-chart" not in page
    assert "not assessed" in page


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_chart_coordinates_are_numbers_in_every_language(
    browse, officer, coordinator, case, assess, time_machine, language
):
    time_machine.move_to(timezone.now(), tick=False)
    assess(officer, case, "injury")
    time_machine.shift(timedelta(days=3))
    assess(officer, case, "threat_to_kill")
    client = browse(coordinator)
    client.cookies["birge_language"] = language

    page = _text(client.get(f"/cases/{case.pk}/"))

    chart = re.search(r'<svg class="risk-chart".*?</svg>', page, re.S).group(0)
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', chart)
    assert len(circles) == 2
    for x, y in circles:
        float(x), float(y)
    polyline = re.search(r'<polyline [^>]*points="([^"]+)"', chart).group(1).split()
    assert polyline == [f"{x},{y}" for x, y in circles]
