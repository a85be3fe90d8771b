"""Appends to a case (an incident, over the API) wait for one another instead of failing:
they need no version the client loaded. A real conflict, an edit of what someone changed
meanwhile, is a 409 (412 for a failed If-Match) that says to reload, never a 400."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from birge.cases import services
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
RELOAD = "Reload it and make your change again."


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _incident(day: int) -> dict:
    return {"occurred_on": _days_ago(40 - day), "forms": ["physical"]}


def test_an_incident_needs_no_version_and_moves_the_case_on(api, officer):
    case = register_case(officer, victim=ADULT)
    client = api(officer)
    seen = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]

    first = client.post(
        f"/api/v1/cases/{case.pk}/incidents/", _incident(1), content_type="application/json"
    )
    second = client.post(
        f"/api/v1/cases/{case.pk}/incidents/", _incident(2), content_type="application/json"
    )

    assert first.status_code == second.status_code == 201, (first.json(), second.json())
    assert client.get(f"/api/v1/cases/{case.pk}/")["ETag"] != seen
    assert Case.objects.get(pk=case.pk).version > case.version


def test_an_incident_with_a_stale_if_match_is_412_and_not_recorded(api, officer):
    case = register_case(officer, victim=ADULT)
    client = api(officer)
    seen = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    client.post(
        f"/api/v1/cases/{case.pk}/incidents/", _incident(1), content_type="application/json"
    )

    response = client.post(
        f"/api/v1/cases/{case.pk}/incidents/",
        _incident(2),
        content_type="application/json",
        headers={"If-Match": seen},
    )

    assert response.status_code == 412
    assert RELOAD in response.json()["detail"]
    assert Incident.objects.filter(case=case).count() == 2


def test_an_incident_with_a_fresh_if_match_is_recorded(api, officer):
    case = register_case(officer, victim=ADULT)
    client = api(officer)
    seen = client.get(f"/api/v1/cases/{case.pk}/")["ETag"]

    response = client.post(
        f"/api/v1/cases/{case.pk}/incidents/",
        _incident(1),
        content_type="application/json",
        headers={"If-Match": seen},
    )

    assert response.status_code == 201


def test_closing_a_case_someone_changed_meanwhile_is_refused_as_stale(api, coordinator, officer):
    case = register_case(officer, victim=ADULT)
    stale = Case.objects.get(pk=case.pk)
    api(officer).post(
        f"/api/v1/cases/{case.pk}/incidents/", _incident(1), content_type="application/json"
    )

    with pytest.raises(ValidationError) as refused:
        services.case_close(actor=coordinator, case=stale, reason="Moved abroad.")

    assert refused.value.code == "stale"
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections need PostgreSQL: the test database of SQLite is a "
    "shared-cache in-memory one, whose table locks fail at once instead of waiting",
)
def test_twenty_incidents_posted_at_once_are_all_recorded(committed_db, officer):  # noqa: F811
    case = register_case(officer, victim=ADULT)
    tokens = [AuthToken.objects.create(officer)[1] for _ in range(20)]
    start = threading.Barrier(len(tokens))
    statuses, errors = [], []

    def post(token: str, day: int) -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")
            start.wait()
            response = client.post(
                f"/api/v1/cases/{case.pk}/incidents/",
                _incident(day),
                content_type="application/json",
            )
            statuses.append(response.status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(token, day))
        for day, token in enumerate(tokens, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [201] * 20
    assert Incident.objects.filter(case=case).count() == 21
    assert Case.objects.get(pk=case.pk).version >= case.version + 20
