"""Idempotency-Key on the cases API's creates: a retry gets the first answer and creates
nothing twice; the same key with another body is a 422; keys are per user; the kept
answers go after 24 hours and when their case is forgotten."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from birge.cases.models import Case, Consent, IdempotentRequest, Incident
from birge.cases.tests.factories import register_case
from birge.jobs.registry import JOBS, SCHEDULE, jobs_run
from birge.privacy.retention import forget_cases
from birge.referrals.tests.test_jobs import (  # noqa: F401 - two connections at once
    _audit_triggers_back_after_flush,
    committed_db,
)

# A victim born long before any incident these tests record (the factories' birth
# dates move on with every case made in the test run).
ADULT = {"birth_date": date(1990, 1, 1)}
JSON = "application/json"


@pytest.fixture
def case(officer, coordinator):
    return register_case(officer, victim=ADULT)


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _registration(first_name: str = "Günel") -> dict:
    return {
        "victim": {"first_name": first_name, "last_name": "Əliyeva", "phone": "+994 55 222 33 44"},
        "perpetrator": {"first_name": "Rauf", "last_name": "Əliyev"},
        "relationship": "spouse",
        "incident": {"occurred_on": _days_ago(30), "forms": ["physical"]},
    }


def _incident(day: int = 1) -> dict:
    return {"occurred_on": _days_ago(40 - day), "forms": ["physical"], "place": "Xətai, evdə"}


def _post(client, path: str, body: dict, key: str = ""):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(path, body, content_type=JSON, headers=headers)


def test_a_repeated_registration_replays_the_first_answer(api, officer):
    client = api(officer)

    first = _post(client, "/api/v1/cases/", _registration(), key="reg-1")
    again = _post(client, "/api/v1/cases/", _registration(), key="reg-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422_that_names_the_header(api, officer):
    client = api(officer)
    _post(client, "/api/v1/cases/", _registration(), key="reg-1")

    other = _post(client, "/api/v1/cases/", _registration("Leyla"), key="reg-1")

    assert other.status_code == 422
    assert "another request" in other.json()["Idempotency-Key"][0]
    assert Case.objects.count() == 1


def test_a_repeated_incident_is_recorded_once(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/incidents/"

    first = _post(client, path, _incident(), key="inc-1")
    again = _post(client, path, _incident(), key="inc-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Incident.objects.filter(case=case).count() == 2  # the registration's and this one


def test_one_key_on_another_route_is_a_422(api, officer, case):
    client = api(officer)
    other = register_case(officer, victim=ADULT)
    _post(client, f"/api/v1/cases/{case.pk}/incidents/", _incident(), key="inc-1")

    response = _post(client, f"/api/v1/cases/{other.pk}/incidents/", _incident(), key="inc-1")

    assert response.status_code == 422
    assert Incident.objects.filter(case=other).count() == 1


def test_keys_are_per_user(api, officer, colleague, case):
    path = f"/api/v1/cases/{case.pk}/incidents/"

    mine = _post(api(officer), path, _incident(), key="same-key")
    hers = _post(api(colleague), path, _incident(), key="same-key")

    assert mine.status_code == hers.status_code == 201
    assert "Idempotent-Replayed" not in hers
    assert Incident.objects.filter(case=case).count() == 3


def test_without_a_key_each_post_creates(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/incidents/"

    _post(client, path, _incident())
    _post(client, path, _incident())

    assert Incident.objects.filter(case=case).count() == 3


def test_a_refused_request_leaves_the_key_free_for_the_corrected_one(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/incidents/"

    refused = _post(client, path, {"occurred_on": _days_ago(39), "forms": []}, key="inc-1")
    corrected = _post(client, path, _incident(), key="inc-1")

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert "Idempotent-Replayed" not in corrected


def test_a_key_longer_than_100_characters_is_refused(api, officer, case):
    response = _post(
        api(officer), f"/api/v1/cases/{case.pk}/incidents/", _incident(), key="k" * 101
    )

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()
    assert Incident.objects.filter(case=case).count() == 1


def test_a_repeated_consent_is_recorded_once(api, officer, case, shelter):
    client = api(officer)
    today = timezone.localdate()
    body = {
        "agencies": [shelter.pk],
        "given_on": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
    }
    path = f"/api/v1/cases/{case.pk}/consents/"
    before = Consent.objects.filter(case=case).count()

    first = _post(client, path, body, key="consent-1")
    again = _post(client, path, body, key="consent-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Consent.objects.filter(case=case).count() == before + 1


def test_the_kept_answer_is_encrypted_at_rest(api, officer, case):
    _post(api(officer), f"/api/v1/cases/{case.pk}/incidents/", _incident(), key="inc-1")

    with connection.cursor() as cursor:
        cursor.execute("SELECT answer FROM cases_idempotentrequest")
        (stored,) = cursor.fetchone()

    assert "Xətai" not in stored
    assert IdempotentRequest.objects.get().case_id == case.pk


def test_kept_answers_go_after_24_hours_by_the_registered_job(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/incidents/"
    _post(client, path, _incident(), key="inc-1")

    assert "idempotency_expiry" in JOBS and "idempotency_expiry" in SCHEDULE
    assert jobs_run(names=["idempotency_expiry"]) == {"idempotency_expiry": 0}
    later = timezone.now() + timedelta(hours=25)
    assert jobs_run(names=["idempotency_expiry"], now=later) == {"idempotency_expiry": 1}
    assert not IdempotentRequest.objects.exists()


def test_a_key_older_than_24_hours_creates_again(api, officer, case):
    client = api(officer)
    path = f"/api/v1/cases/{case.pk}/incidents/"
    _post(client, path, _incident(), key="inc-1")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = _post(client, path, _incident(), key="inc-1")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Incident.objects.filter(case=case).count() == 3


def test_forgetting_a_case_forgets_its_kept_answers(api, officer):
    response = _post(api(officer), "/api/v1/cases/", _registration(), key="reg-1")
    case_id = response.json()["id"]

    forget_cases([case_id], now=timezone.now())

    assert not IdempotentRequest.objects.filter(case_id=case_id).exists()


def test_the_schema_documents_the_header_on_every_create(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()

    creates = [
        ("/api/v1/cases/", "post"),
        ("/api/v1/cases/{case_id}/incidents/", "post"),
        ("/api/v1/cases/{case_id}/consents/", "post"),
        ("/api/v1/cases/{case_id}/share/", "post"),
        ("/api/v1/cases/{case_id}/assessments/", "post"),
        ("/api/v1/cases/{case_id}/risk-level/", "post"),
        ("/api/v1/referrals/", "post"),
        ("/api/v1/conferences/series/", "post"),
        ("/api/v1/conferences/series/{series_id}/meetings/", "post"),
        ("/api/v1/conferences/referrals/", "post"),
        ("/api/v1/conferences/meetings/{meeting_id}/agenda/", "post"),
        ("/api/v1/conferences/meetings/{meeting_id}/items/{item_id}/research/", "post"),
        ("/api/v1/conferences/meetings/{meeting_id}/items/{item_id}/actions/", "post"),
    ]
    for path, method in creates:
        operation = schema["paths"][path][method]
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert "422" in operation["responses"], path


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections need PostgreSQL: the test database of SQLite is a "
    "shared-cache in-memory one, whose table locks fail at once instead of waiting",
)
def test_copies_of_one_request_arriving_at_once_create_once(committed_db, officer):  # noqa: F811
    case = register_case(officer, victim=ADULT)
    _, token = AuthToken.objects.create(officer)
    start = threading.Barrier(8)
    answers, errors = [], []

    def post() -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
            start.wait()
            response = _post(client, f"/api/v1/cases/{case.pk}/incidents/", _incident(), "once")
            answers.append((response.status_code, response.json()["id"]))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(answers) == 8
    assert {status for status, _id in answers} == {201}
    assert len({incident for _status, incident in answers}) == 1
    assert Incident.objects.filter(case=case).count() == 2
    assert IdempotentRequest.objects.count() == 1
