"""Health for the proxy and the service manager: `/healthz` (this process answers) and
`/readyz` (it can serve: database reachable, migrations applied, keys loaded, Redis
reachable when configured).

Answered first, before the host check, sessions and sign-in, so that a probe from the
proxy or systemd costs no session and needs no account; each answer says only whether
each part is ready, never why (the reason goes to the log, with no personal data).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from birge.privacy.blind_index import blind_index
from birge.privacy.keys import keyring
from birge.web.dbrole import running_warnings

log = logging.getLogger("birge.health")

_migrated = False  # once every migration is applied, it stays so for this process
_role_told = False  # the warning about the database role, once per process


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _keys() -> bool:
    return bool(keyring().current_id) and len(blind_index("readyz", "probe")) == 64


def _cache() -> bool:
    cache.set("birge:readyz", "1", timeout=10)
    return cache.get("birge:readyz") == "1"


def checks() -> dict[str, Callable[[], bool]]:
    found = {"database": _database, "migrations": _migrations, "keys": _keys}
    if settings.REDIS_URL:
        found["redis"] = _cache
    return found


def _passes(name: str, check: Callable[[], bool]) -> bool:
    try:
        return check()
    except Exception as error:  # any failure means not ready
        log.warning("readiness: %s failed (%s)", name, type(error).__name__)
        return False


def _tell_role() -> None:
    """In production, warn (once) when Birge runs as a superuser or the owner of its
    tables: a warning in the log, not a failure, so the service stays ready."""
    global _role_told
    if _role_told or settings.DEBUG or settings.BIRGE_DEMO:
        return
    _role_told = True
    try:
        for message in running_warnings().values():
            log.warning("readiness: %s", message)
    except Exception as error:  # a warning only: never fails the probe
        log.warning("readiness: the database role was not checked (%s)", type(error).__name__)


def _answer(body: dict, status: int = 200) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """First in MIDDLEWARE: /healthz and /readyz never reach the rest of the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return _answer({"status": "ok"})
        if request.path == "/readyz":
            results = {name: _passes(name, check) for name, check in checks().items()}
            ready = all(results.values())
            if ready:
                _tell_role()
            return _answer(
                {"status": "ready" if ready else "not ready", "checks": results},
                status=200 if ready else 503,
            )
        return self.get_response(request)
