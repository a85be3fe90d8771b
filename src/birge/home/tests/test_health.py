"""The proxy's and the service manager's probes: /healthz and /readyz."""

import pytest
from django.db import connection

from birge.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_needs_no_account_no_session_and_no_known_host(client, path):
    events = AuditEvent.objects.count()

    response = client.get(path, HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.count() == events


def test_ready_names_each_part_and_nothing_else(client):
    body = client.get("/readyz").json()

    assert body == {
        "status": "ready",
        "checks": {"database": True, "migrations": True, "keys": True},
    }


def test_ready_answers_503_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.OperationalError("could not connect: secret details")

    monkeypatch.setattr("birge.home.health._database", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False
    assert "secret" not in response.content.decode()


def test_ready_checks_redis_when_one_is_configured(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    monkeypatch.setattr("birge.home.health._cache", lambda: False)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] is False


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
