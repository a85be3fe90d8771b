"""No request holds PostgreSQL for long: statements, lock waits and open transactions stop
at their limits, and the person is told the system is busy (503, Retry-After), in her
language on a page and in JSON on the API, never a server error."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from birge.cases.models import Case, Incident
from birge.cases.tests.conftest import _known_keys  # noqa: F401 - fixed keys
from birge.cases.tests.factories import register_case
from birge.referrals.tests.test_jobs import (  # noqa: F401 - two connections at once
    _audit_triggers_back_after_flush,
    committed_db,
)

# A victim born long before any incident these tests record (the factories' birth
# dates move on with every case made in the test run).
ADULT = {"birth_date": date(1990, 1, 1)}
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the time limits are PostgreSQL's"
)


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _show(setting: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


@pytest.fixture
def limit():
    """`limit(setting, value)`: a tighter limit on this test's connection, undone after."""
    changed = []

    def limit(setting: str, value: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET {setting} = %s", [value])
        changed.append(setting)

    yield limit
    with connection.cursor() as cursor:
        for setting in changed:
            cursor.execute(f"RESET {setting}")


@pytest.fixture
def held_case_lock():
    """`held_case_lock(case)`: another connection holds the case's row lock until the end."""
    release, held = threading.Event(), threading.Event()
    threads = []

    def hold(case_id: int) -> None:
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=case_id)
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def held_case_lock(case: Case) -> None:
        thread = threading.Thread(target=hold, args=(case.pk,))
        thread.start()
        threads.append(thread)
        assert held.wait(timeout=10)

    yield held_case_lock
    release.set()
    for thread in threads:
        thread.join(timeout=30)


def test_every_connection_has_the_three_limits(db):
    assert _show("statement_timeout") == "30s"
    assert _show("lock_timeout") == "10s"
    assert _show("idle_in_transaction_session_timeout") == "1min"


def test_an_api_request_waiting_too_long_for_a_lock_is_a_503_in_json(
    committed_db,  # noqa: F811
    officer,
    limit,
    held_case_lock,
):
    case = register_case(officer, victim=ADULT)
    _, token = AuthToken.objects.create(officer)
    held_case_lock(case)
    limit("lock_timeout", "200ms")

    response = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en").post(
        f"/api/v1/cases/{case.pk}/incidents/",
        {"occurred_on": _days_ago(3), "forms": ["physical"]},
        content_type="application/json",
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The system is busy" in response.json()["detail"]
    assert Incident.objects.filter(case=case).count() == 1


def test_a_page_waiting_too_long_for_a_lock_is_a_503_page_in_her_language(
    committed_db,  # noqa: F811
    officer,
    sign_in,
    limit,
    held_case_lock,
):
    case = register_case(officer, victim=ADULT)
    client = sign_in(Client(), officer)
    client.cookies["birge_language"] = "en"
    held_case_lock(case)
    limit("lock_timeout", "200ms")

    response = client.post(
        f"/cases/{case.pk}/incidents/new/",
        {"occurred_on": _days_ago(3), "forms": ["physical"], "weapon": "none"},
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The system is busy" in response.content.decode()
    assert Incident.objects.filter(case=case).count() == 1


def test_a_statement_running_too_long_is_a_503_not_a_500(
    committed_db,  # noqa: F811
    officer,
    limit,
    monkeypatch,
):
    def slow(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    monkeypatch.setattr("birge.cases.selectors.case_list", slow)
    _, token = AuthToken.objects.create(officer)
    limit("statement_timeout", "100ms")

    response = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en").get(
        "/api/v1/cases/"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
