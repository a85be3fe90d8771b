"""Risk assessments over the API: the same services and access policy as the pages."""

import pytest

from birge.cases.models import Case
from birge.risk.models import RiskAssessment

CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _url(case) -> str:
    return f"/api/v1/cases/{case.pk}/assessments/"


def _post(client, case, **body):
    """The answers (from the `answers` fixture) are for version 1 of the checklist."""
    body.setdefault("instrument", "birge-checklist")
    body.setdefault("instrument_version", "1")
    return client.post(_url(case), body, content_type="application/json")


def test_posting_answers_creates_a_draft(api, officer, case, answers):
    response = _post(api(officer), case, answers=answers("weapon", missing=["fear"]))

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert (body["instrument"], body["instrument_version"]) == ("birge-checklist", "1")
    assert body["computed_level"] == "high" and body["final_level"] == ""
    assert body["submitted_at"] is None
    assert body["answers"] == answers("weapon", missing=["fear"])
    assessment = RiskAssessment.objects.get(pk=body["id"])
    assert (assessment.case, assessment.assessed_by) == (case, officer)
    case.refresh_from_db()
    assert case.risk_level == ""


def test_submit_with_every_answer_submits_and_gives_the_case_its_level(api, officer, case, answers):
    response = _post(api(officer), case, answers=answers("weapon"), submit=True)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["final_level"] == "high"
    assert body["submitted_at"] is not None
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.conference_queued_at is not None


def test_professional_judgement_over_the_api_needs_its_reason(api, officer, case, answers):
    response = _post(api(officer), case, answers=answers(), submit=True, final_level="critical")

    assert response.status_code == 400
    assert "judgement_reason" in response.json()
    assert not RiskAssessment.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).risk_level == ""


def test_submit_with_answers_missing_is_a_400_naming_each_and_stores_nothing(
    api, officer, case, answers, checklist
):
    response = _post(api(officer), case, answers=answers(missing=["fear", "weapon"]), submit=True)

    assert response.status_code == 400
    errors = response.json()["non_field_errors"]
    assert sorted(errors) == sorted(
        f"Not answered: {checklist.instrument.item(i).texts['en']}" for i in ("fear", "weapon")
    )
    assert not RiskAssessment.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).risk_level == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"no_such_item": "yes"}}, "non_field_errors"),
        ({"answers": {"weapon": "maybe"}}, "answers"),
        ({"answers": {"weapon": 1}}, "answers"),
        ({"answers": ["weapon"]}, "answers"),
        ({"instrument": "dash-ric"}, "instrument"),
        ({"victim_fear": "terrified"}, "victim_fear"),
        ({"victim_view": "x" * 4001}, "victim_view"),
        ({"final_level": "extreme", "submit": True}, "final_level"),
    ],
)
def test_bad_input_is_a_400_with_its_field_and_stores_nothing(
    api, officer, case, answers, body, field
):
    body = {"answers": answers(), **body}

    response = _post(api(officer), case, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not RiskAssessment.objects.filter(case=case).exists()


def test_malformed_json_is_a_400(api, officer, case):
    response = api(officer).post(_url(case), "{not json", content_type="application/json")

    assert response.status_code == 400
    assert not RiskAssessment.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Yes to a critical question (threats to kill): this alone gives at least high."),
        ("ru", "Ответ «да» на критический вопрос"),
        ("az", "Kritik suala «bəli» cavabı"),
    ],
)
def test_the_list_gives_the_reasons_as_sentences_in_the_readers_language(
    api, officer, coordinator, case, assess, language, expected
):
    assess(officer, case, "injury")
    newest = assess(coordinator, case, "threat_to_kill")

    response = api(coordinator, language=language).get(_url(case))

    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body] == [newest.pk, newest.pk - 1]
    assert any(expected in reason for reason in body[0]["reasons"])
    assert not any(expected in reason for reason in body[1]["reasons"])
    if language == "ru":
        assert any(c in CYRILLIC for c in "".join(body[0]["reasons"]).lower())


def test_one_assessment_reads_back(api, officer, case, assess):
    assessment = assess(officer, case, "threat_to_kill")

    response = api(officer).get(f"{_url(case)}{assessment.pk}/")

    assert response.status_code == 200
    assert response.json()["final_level"] == "high"
    assert "victim_view" not in response.json()


def test_the_outsider_gets_404_on_both_assessment_endpoints(
    api, officer, outsider, case, assess, answers
):
    assessment = assess(officer, case, "threat_to_kill")
    client = api(outsider)

    assert client.get(_url(case)).status_code == 404
    assert _post(client, case, answers=answers(), submit=True).status_code == 404
    assert client.get(f"{_url(case)}{assessment.pk}/").status_code == 404
    assert client.get("/api/v1/cases/999999/assessments/").status_code == 404
    assert RiskAssessment.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).risk_level == "high"


def test_the_analyst_gets_404_on_both_assessment_endpoints(api, officer, analyst, case, assess):
    assessment = assess(officer, case)
    client = api(analyst)

    assert client.get(_url(case)).status_code == 404
    assert _post(client, case, answers={}).status_code == 404
    assert client.get(f"{_url(case)}{assessment.pk}/").status_code == 404


def test_an_assessment_is_not_found_under_another_case(api, officer, case, assess):
    from birge.cases.tests.factories import register_case

    assessment = assess(officer, case)
    other = register_case(officer)

    assert api(officer).get(f"{_url(other)}{assessment.pk}/").status_code == 404


def test_the_agency_lead_reads_but_cannot_post(api, lead, officer, case, assess, answers):
    assess(officer, case)
    client = api(lead)

    assert client.get(_url(case)).status_code == 200
    assert _post(client, case, answers=answers()).status_code == 403
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_the_endpoints_are_in_the_openapi_schema(api, officer):
    response = api(officer).get("/api/v1/schema/")
    if response.status_code == 404:
        pytest.fail("no OpenAPI schema at /api/v1/schema/")

    text = response.content.decode()
    assert "/api/v1/cases/{case_id}/assessments/" in text
    assert "/api/v1/cases/{case_id}/assessments/{assessment_id}/" in text
