"""The sealer: covers the events appended since the last seal with new chained seals.

Requests append events without any lock (`services.event_record`); ids come from the
table's sequence, so a transaction may still be running with an id lower than events
that others have already committed. A seal must never cover an id that may yet be
committed, or that event would later sit, unsealed, inside a sealed range. So, on
PostgreSQL:

1. read the highest committed event id M;
2. list the transactions holding a RowExclusiveLock on the event table (every INSERT
   takes it before the sequence hands out an id, and keeps it until commit or rollback):
   any transaction that still holds an id at most M is among them;
3. wait (briefly) until those transactions have ended. Then every id up to M is final:
   committed and visible, or rolled back for good. If they do not end in time, seal only
   the gap-free run of ids after the last seal (a gap may be one of theirs), and the rest
   on a later run.

(This relies on the sequence handing out ids in time order, as the table's identity
column does with its default CACHE 1: do not raise its cache. pg_locks is filtered to
this database; reading it needs no privilege.)

Two sealers never run at once: each takes a transaction-scoped advisory lock that only
sealers use (with `pg_try_advisory_xact_lock`, so the second one simply does nothing).
On SQLite a write transaction holds the whole database (IMMEDIATE), so every event
appended before it is committed and there is nothing to wait for.
"""

import time

from django.db import connections, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from birge.audit.hashing import GENESIS_HASH, batch_digest, seal_chain_hash
from birge.audit.models import AuditSeal

# Arbitrary constant naming the advisory lock that only sealers take.
SEAL_LOCK = 0x42534541  # "BSEA"
# Events per seal: also the unit `birge audit verify` fetches and splits between processes.
SEAL_SIZE = 10_000

EVENTS = "audit_auditevent"


def _appenders(cursor: CursorWrapper) -> set[str]:
    """The other transactions that hold the event table's insert lock (pg_locks)."""
    cursor.execute(
        "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation'"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND relation = %s::regclass AND mode = 'RowExclusiveLock' AND granted"
        " AND pid <> pg_backend_pid()",
        [EVENTS],
    )
    return {row[0] for row in cursor.fetchall()}


def _wait_for(cursor: CursorWrapper, appenders: set[str], wait: float) -> bool:
    """True once none of these transactions is running any more, False after `wait` s."""
    deadline = time.monotonic() + wait
    while appenders:
        appenders &= _appenders(cursor)
        if not appenders:
            break
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def seal_pending(*, using: str = "default", wait: float = 1.0, size: int = SEAL_SIZE) -> int:
    """Seal the events appended since the last seal, as far as it is safe; returns how
    many events were sealed (0 when another sealer is running)."""
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    sealed = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        head = (
            AuditSeal.objects.using(using)
            .order_by("-id")
            .values_list("last_id", "chain_hash")
            .first()
        )
        start, previous = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        cursor.execute("SELECT MAX(id) FROM audit_auditevent")
        bound = cursor.fetchone()[0]
        if bound is None or bound < start:
            return 0
        gaps_final = True
        if postgres:
            gaps_final = _wait_for(cursor, _appenders(cursor), wait)
        now = timezone.now()
        while start <= bound:
            cursor.execute(
                "SELECT id, hash FROM audit_auditevent WHERE id >= %s AND id <= %s"
                " ORDER BY id LIMIT %s",
                [start, bound, size],
            )
            rows = cursor.fetchall()
            if not gaps_final:
                # Only the run of ids with no gap: a missing id may belong to a
                # transaction that is still running.
                run = 0
                while run < len(rows) and rows[run][0] == start + run:
                    run += 1
                rows = rows[:run]
            if not rows:
                break
            last = rows[-1][0]
            digest = batch_digest(rows)
            previous = seal_chain_hash(previous, start, last, len(rows), digest)
            AuditSeal.objects.using(using).create(
                first_id=start,
                last_id=last,
                count=len(rows),
                digest=digest,
                chain_hash=previous,
                sealed_at=now,
            )
            sealed += len(rows)
            start = last + 1
            if not gaps_final and len(rows) < size:
                break
    return sealed
