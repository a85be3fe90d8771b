"""Verifying the audit log and signing its head seal.

`chain_verify` recomputes every event's own hash, every seal's digest over the events it
covers and every seal's link to the one before it, checks that the seals cover one
unbroken run of ids from the first, and reports the events not sealed yet. Anyone who can
write to the database could rebuild consistent hashes and seals, so `checkpoint_create`
signs the head seal with a key kept outside the database; a checkpoint stored elsewhere
then proves that the events up to it are still the ones that were there when it was made.

Speed: a million events take a few seconds on PostgreSQL. Events are read a seal's range
at a time, only the columns the hash needs, the time already formatted by the database;
the hash is built by `birge.audit.hashing` without a model instance; and, outside a
transaction, the ranges are shared between two processes.
"""

import hashlib
import hmac
import json
import multiprocessing
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, connections
from django.db.models import Max, Min, Sum
from django.utils import timezone

from birge.audit.hashing import (
    EVENT_COLUMNS,
    GENESIS_HASH,
    batch_digest,
    data_canonical,
    event_hash,
    seal_chain_hash,
)
from birge.audit.models import AuditEvent, AuditSeal
from birge.audit.sealing import SEAL_SIZE

# Below this many events one process is quicker than starting two.
PARALLEL_FROM = 100_000

# Only the columns the hash needs; the time as UTC text ("2026-03-01 22:30:00.5", DateStyle
# ISO as psycopg requires), cheaper to send and read than a timestamp or to_char(), and
# made ISO 8601 by `_iso`.
_POSTGRES_ROWS = (
    "SELECT id, (occurred_at AT TIME ZONE 'UTC')::text, actor_id, actor_label, agency_id,"
    " action, object_type, object_id, reason, host(ip), request_id, data::text, prev_hash,"
    " hash FROM audit_auditevent WHERE id >= %s AND id <= %s ORDER BY id"
)
_FIELDS = ("id", *EVENT_COLUMNS)


@dataclass(frozen=True)
class RangeResult:
    """One range of ids as found in the database."""

    count: int
    digest: str
    first_bad_id: int | None


def _iso(text: str) -> str:
    """PostgreSQL's UTC text of a time as `datetime.isoformat(timespec="microseconds")`
    writes it: "2026-03-01 22:30:00.5" → "2026-03-01T22:30:00.500000+00:00"."""
    if len(text) == 19 and text[10] == " ":
        return f"{text[:10]}T{text[11:]}.000000+00:00"
    if 21 <= len(text) <= 26 and text[10] == " " and text[19] == ".":
        return f"{text[:10]}T{text[11:20]}{text[20:]:0<6}+00:00"
    moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return moment.isoformat(timespec="microseconds")


def _scan_postgres(first: int, last: int) -> RangeResult:
    pairs = []
    first_bad = None
    cache: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRES_ROWS, [first, last])
        rows = cursor.fetchall()
    for (
        pk,
        at,
        actor,
        label,
        agency,
        action,
        otype,
        oid,
        reason,
        ip,
        rid,
        data,
        prev,
        stored,
    ) in rows:
        canonical = cache.get(data)
        if canonical is None:
            canonical = data_canonical(json.loads(data))
            if len(cache) < 10_000:
                cache[data] = canonical
        if first_bad is None and stored != event_hash(
            _iso(at), actor, label, agency, action, otype, oid, reason, ip, rid, canonical, prev
        ):
            first_bad = pk
        pairs.append((pk, stored))
    return RangeResult(len(pairs), batch_digest(pairs), first_bad)


def _scan(first: int, last: int) -> RangeResult:
    """The events with ids first..last: how many, their digest, the first whose content
    does not match its hash."""
    pairs = []
    first_bad = None
    if connection.vendor == "postgresql":
        return _scan_postgres(first, last)
    events = AuditEvent.objects.filter(id__gte=first, id__lte=last).order_by("id")
    for row in events.values_list(*_FIELDS):
        occurred_at = row[1].astimezone(UTC).isoformat(timespec="microseconds")
        fields = (occurred_at, *row[2:11], data_canonical(row[11]), row[12])
        if first_bad is None and event_hash(*fields) != row[13]:
            first_bad = row[0]
        pairs.append((row[0], row[13]))
    return RangeResult(len(pairs), batch_digest(pairs), first_bad)


def _scan_many(ranges: list[tuple[int, int]]) -> list[RangeResult]:
    return [_scan(first, last) for first, last in ranges]


def _scan_in_child(ranges: list[tuple[int, int]]) -> list[RangeResult]:
    """A worker's share, on its own connection, closed properly when done."""
    try:
        return _scan_many(ranges)
    finally:
        connections.close_all()


def _scan_all(ranges: list[tuple[int, int]], events: int) -> list[RangeResult]:
    """Every range scanned, in two processes when it pays and is possible: outside a
    transaction (the children open their own connections and must see the same rows)."""
    parallel = (
        events >= PARALLEL_FROM
        and len(ranges) > 1
        and (os.cpu_count() or 1) > 1
        and not connection.in_atomic_block
        and "fork" in multiprocessing.get_all_start_methods()
    )
    if not parallel:
        return _scan_many(ranges)
    # The children must not share the parent's connection: close it before forking.
    connections.close_all()
    # Every other range to each worker: equal shares, one connection each.
    with multiprocessing.get_context("fork").Pool(2) as pool:
        even, odd = pool.map(_scan_in_child, [ranges[0::2], ranges[1::2]], chunksize=1)
    results: list[RangeResult] = []
    for index in range(len(ranges)):
        results.append(even[index // 2] if index % 2 == 0 else odd[index // 2])
    return results


@dataclass(frozen=True)
class ChainReport:
    events: int
    sealed: int
    seals: int
    head_seal_id: int | None
    head_event_id: int | None
    head_hash: str
    oldest_unsealed_id: int | None = None
    oldest_unsealed_at: datetime | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    @property
    def unsealed(self) -> int:
        return self.events - self.sealed

    def unsealed_age(self, now: datetime | None = None) -> float:
        """Seconds since the oldest event not sealed yet was written (0 when none)."""
        if self.oldest_unsealed_at is None:
            return 0.0
        return max(0.0, ((now or timezone.now()) - self.oldest_unsealed_at).total_seconds())


def _intact_before(event_id: int) -> int:
    return AuditEvent.objects.filter(id__lt=event_id).count()


def _event_problem(event_id: int) -> str:
    return (
        f"Audit log broken at event #{event_id}: its content does not match its hash. "
        f"{_intact_before(event_id)} events before it are intact."
    )


def chain_verify() -> ChainReport:
    """Check the whole log; on a problem, `problem` says where the first one is and why."""
    seals = list(
        AuditSeal.objects.order_by("id").values_list(
            "id", "first_id", "last_id", "count", "digest", "chain_hash"
        )
    )
    last_event = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    sealed_up_to = seals[-1][2] if seals else 0

    # The seals: one unbroken run of ids from 1, each linked to the one before.
    seal_problem: tuple[int, str] | None = None
    previous, expected_first = GENESIS_HASH, 1
    for seal_id, first, last, count, digest, chain_hash in seals:
        if first != expected_first or last < first:
            seal_problem = (
                first,
                f"Audit log broken at seal #{seal_id}: it covers events #{first} to #{last}, "
                f"but the seal before it ended at #{expected_first - 1}: a seal was deleted, "
                "inserted or changed.",
            )
            break
        if seal_chain_hash(previous, first, last, count, digest) != chain_hash:
            seal_problem = (
                first,
                f"Audit log broken at seal #{seal_id}: its chain hash does not follow from the "
                "seal before it: the seal was rewritten.",
            )
            break
        previous, expected_first = chain_hash, last + 1

    # The events: the sealed ranges, then the tail in ranges of the same size.
    ranges = [(first, last) for _, first, last, *_ in seals]
    tail = sealed_up_to + 1
    while tail <= last_event:
        ranges.append((tail, min(tail + SEAL_SIZE - 1, last_event)))
        tail += SEAL_SIZE
    results = _scan_all(ranges, last_event)

    # (where, rank, message): the first place wins; there, a broken link between seals
    # before an event's own hash before a seal's digest (which the former explain).
    problems: list[tuple[int, int, str]] = []
    if seal_problem:
        problems.append((seal_problem[0], 0, seal_problem[1]))
    events = sealed = 0
    for index, result in enumerate(results):
        events += result.count
        if result.first_bad_id is not None:
            problems.append((result.first_bad_id, 1, _event_problem(result.first_bad_id)))
            continue
        if index >= len(seals):
            continue
        sealed += result.count
        seal_id, first, last, count, digest, _ = seals[index]
        if result.count != count:
            problems.append(
                (
                    first,
                    2,
                    f"Audit log broken at seal #{seal_id} (events #{first} to #{last}): it sealed "
                    f"{count} events but {result.count} are there: an event was deleted from or "
                    f"inserted into its range. {_intact_before(first)} events before it are "
                    "intact.",
                )
            )
        elif result.digest != digest:
            problems.append(
                (
                    first,
                    2,
                    f"Audit log broken at seal #{seal_id} (events #{first} to #{last}): its "
                    "events are not the ones it sealed: an event was rewritten with a new hash, "
                    f"replaced or moved. {_intact_before(first)} events before it are intact.",
                )
            )

    # By the primary key, so that a short tail costs nothing however long the log.
    tail_events = AuditEvent.objects.filter(id__gt=sealed_up_to)
    oldest_at = tail_events.aggregate(at=Min("occurred_at"))["at"]
    oldest = (
        tail_events.filter(occurred_at=oldest_at)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
        if oldest_at
        else None
    )
    head = seals[-1] if seals else None
    return ChainReport(
        events=events,
        sealed=sealed,
        seals=len(seals),
        head_seal_id=head[0] if head else None,
        head_event_id=head[2] if head else None,
        head_hash=head[5] if head else GENESIS_HASH,
        oldest_unsealed_id=oldest,
        oldest_unsealed_at=oldest_at,
        problem=min(problems)[2] if problems else "",
    )


def _signature(payload: dict, key: str) -> str:
    message = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


_SIGNED = ("seal", "event_id", "hash", "events", "created_at")


def _sealed_up_to(seal_id: int) -> int:
    return AuditSeal.objects.filter(id__lte=seal_id).aggregate(n=Sum("count"))["n"] or 0


def checkpoint_create(*, key: str) -> dict:
    """A signed statement of the head seal: its id, its last event, its chain hash and the
    number of events sealed up to it."""
    head = AuditSeal.objects.order_by("-id").values("id", "last_id", "chain_hash").first()
    sealed = _sealed_up_to(head["id"]) if head else 0
    payload: dict[str, Any] = {
        "seal": head["id"] if head else None,
        "event_id": head["last_id"] if head else None,
        "hash": head["chain_hash"] if head else GENESIS_HASH,
        "events": sealed,
        "created_at": timezone.now().isoformat(timespec="seconds"),
    }
    return {**payload, "signature": _signature(payload, key)}


def checkpoint_signed(checkpoint: dict, *, key: str) -> bool:
    """Whether the checkpoint was signed with this key, just as it is."""
    payload = {k: checkpoint.get(k) for k in _SIGNED}
    return hmac.compare_digest(_signature(payload, key), str(checkpoint.get("signature", "")))


def checkpoint_seal_problem(checkpoint: dict) -> str:
    """Empty when the log still holds the head seal the checkpoint names, as it recorded it;
    else why not. Its signature is `checkpoint_signed`'s part."""
    if checkpoint.get("seal") is None:
        return ""
    seal = checkpoint["seal"]
    stored = AuditSeal.objects.filter(id=seal).values("last_id", "chain_hash").first()
    if stored is None:
        return f"seal #{seal} named by the checkpoint is missing"
    if stored["chain_hash"] != checkpoint.get("hash") or stored["last_id"] != checkpoint.get(
        "event_id"
    ):
        return f"seal #{seal} no longer has the hash the checkpoint recorded"
    if _sealed_up_to(seal) != checkpoint.get("events"):
        return f"the number of events sealed up to seal #{seal} has changed"
    return ""


def checkpoint_verify(checkpoint: dict, *, key: str) -> str:
    """Empty when the checkpoint is genuine and the log still holds its head seal; else why
    not. (That the seals before it and the events they cover are intact is `chain_verify`'s
    part: a seal's chain hash covers every seal before it.)"""
    if not checkpoint_signed(checkpoint, key=key):
        return "the checkpoint's signature is not valid"
    return checkpoint_seal_problem(checkpoint)
