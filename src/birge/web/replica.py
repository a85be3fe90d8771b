"""Reports read from the read replica, when there is one fit to read from.

`REPLICA_DATABASE_URL` adds the database alias "replica" (settings.py). Nothing reads
from it unless asked: a report wraps its heavy read in `reads_from_replica`, and only
inside it does `ReplicaRouter` send reads there, and only while the replica answers, is
in recovery (a standby, not a second primary) and its lag is within
`BIRGE_REPLICA_MAX_LAG` seconds. Otherwise, and for every write, the primary ("default").

The verdict is kept for `BIRGE_REPLICA_CHECK_SECONDS` per process, so a request pays no
query for it; a replica that fails while a report reads from it is judged unfit at once
and the report is read again from the primary, so the person never sees the failure.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

REPLICA = "replica"

log = logging.getLogger("birge.replica")

P = ParamSpec("P")
T = TypeVar("T")

# The lag of a standby: none while it has replayed all it received from a live WAL
# receiver; otherwise the age of the last transaction it replayed (NULL: unknown).
LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE
               WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                    AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
               ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
           END
"""


@dataclass
class _Scope:
    used: bool = False  # the router sent at least one read to the replica


_scope: ContextVar[_Scope | None] = ContextVar("birge_replica_scope", default=None)


@dataclass(frozen=True)
class Verdict:
    fit: bool
    reason: str  # "fit", "absent", "unreachable", "not in recovery", "lagging", "lag unknown"
    lag: float | None = None
    checked_at: float = 0.0


_verdict: Verdict | None = None  # this process's last verdict (a tuple swap: thread-safe)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def probe() -> Verdict:
    """Ask the replica now: is it there, a standby, and how far behind?"""
    now = time.monotonic()
    if not configured():
        return Verdict(False, "absent", checked_at=now)
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except Error as error:
        connection.close()
        log.debug("replica: %s", type(error).__name__)
        return Verdict(False, "unreachable", checked_at=now)
    return judge(in_recovery=in_recovery, lag=lag, checked_at=now)


def judge(*, in_recovery: bool, lag: float | None, checked_at: float = 0.0) -> Verdict:
    """A standby at most BIRGE_REPLICA_MAX_LAG seconds behind is fit; anything else is not."""
    if not in_recovery:
        return Verdict(False, "not in recovery", checked_at=checked_at)
    if lag is None:
        return Verdict(False, "lag unknown", checked_at=checked_at)
    lag = max(float(lag), 0.0)
    if lag > settings.BIRGE_REPLICA_MAX_LAG:
        return Verdict(False, "lagging", lag, checked_at=checked_at)
    return Verdict(True, "fit", lag, checked_at=checked_at)


def verdict() -> Verdict:
    """The replica's fitness, asked again at most every BIRGE_REPLICA_CHECK_SECONDS."""
    global _verdict
    known = _verdict
    if known is None or time.monotonic() - known.checked_at >= settings.BIRGE_REPLICA_CHECK_SECONDS:
        fresh = _verdict = probe()
        if known is None or fresh.reason != known.reason:  # the log hears of changes only
            if fresh.fit:
                log.info("replica: fit (%.1f s behind); reports read from it", fresh.lag or 0)
            elif fresh.reason != "absent":
                log.warning("replica: %s; reports read from the primary", fresh.reason)
        known = fresh
    return known


def replica_failed() -> None:
    """A read on the replica failed: unfit until the next check, its connection closed."""
    global _verdict
    _verdict = Verdict(False, "unreachable", checked_at=time.monotonic())
    if configured():
        connections[REPLICA].close()


def forget_verdict() -> None:
    """Ask the replica again at the next read (tests, and after a configuration change)."""
    global _verdict
    _verdict = None


def reads_from_replica(read: Callable[P, T]) -> Callable[P, T]:
    """Run `read` with its reads on the replica when it is fit, else on the primary.

    For reads only, outside a transaction (a report's figures): what `read` reads may be
    up to BIRGE_REPLICA_MAX_LAG seconds old, and if the replica fails while `read` runs,
    `read` runs again, on the primary. A write inside still goes to the primary."""

    @functools.wraps(read)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        scope = _Scope()
        token = _scope.set(scope)
        try:
            return read(*args, **kwargs)
        except Error:
            if not scope.used:
                raise
            log.warning("replica: a report's read failed there; read again from the primary")
            replica_failed()
        finally:
            _scope.reset(token)
        return read(*args, **kwargs)

    return wrapper


def read_alias() -> str:
    """Where a read asked now goes: "replica" inside reads_from_replica when it is fit."""
    scope = _scope.get()
    if scope is None or not configured():
        return DEFAULT_DB_ALIAS
    if not verdict().fit:
        return DEFAULT_DB_ALIAS
    scope.used = True
    return REPLICA


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside reads_from_replica to a fit replica; every
    write and every migration to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
