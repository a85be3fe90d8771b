"""Idempotency-Key on the risk API's creates: an assessment or a judgement sent twice
is recorded once."""

from birge.risk.models import RiskAssessment

JSON = "application/json"


def _post(client, path: str, body: dict, key: str):
    return client.post(path, body, content_type=JSON, headers={"Idempotency-Key": key})


def test_a_repeated_assessment_is_recorded_once(api, officer, case, checklist_v2, answers_for):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/assessments/"
    body = {
        "instrument": "birge-checklist",
        "answers": answers_for(checklist_v2, "strangulation"),
        "submit": True,
    }

    first = _post(client, path, body, "assess-1")
    again = _post(client, path, body, "assess-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_the_same_key_with_other_answers_is_a_422(api, officer, case, checklist_v2, answers_for):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/assessments/"
    _post(
        client,
        path,
        {"instrument": "birge-checklist", "answers": answers_for(checklist_v2)},
        "assess-1",
    )

    other = _post(
        client,
        path,
        {"instrument": "birge-checklist", "answers": answers_for(checklist_v2, "strangulation")},
        "assess-1",
    )

    assert other.status_code == 422
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_a_repeated_judgement_is_recorded_once(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/risk-level/"
    body = {"level": "high", "reason": "He bought a gun last week."}

    first = _post(client, path, body, "judge-1")
    again = _post(client, path, body, "judge-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert RiskAssessment.objects.filter(case=case).count() == 1


def test_another_users_key_is_another_key(api, officer, colleague, case):
    path = f"/api/v1/cases/{case.pk}/risk-level/"
    body = {"level": "high", "reason": "He bought a gun last week."}

    _post(api(officer), path, body, "judge-1")
    hers = _post(api(colleague), path, body, "judge-1")

    assert hers.status_code == 201
    assert "Idempotent-Replayed" not in hers
    assert RiskAssessment.objects.filter(case=case).count() == 2
