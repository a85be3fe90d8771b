"""The audit log's hashes, as pure functions over plain values.

An event's own hash is the SHA-256 of a canonical JSON document of its fields
(`AuditEvent.content()`: sorted keys, no spaces, ASCII). `event_hash` builds exactly the
bytes `json.dumps(content, sort_keys=True, separators=(",", ":"))` would, field by field,
so that inserting (one event) and verifying (a million) use the same code, fast.

A seal covers a contiguous range of event ids: its digest is the SHA-256 over the
"id:hash" lines of its events in id order, and its chain hash links it to the seal
before it (`seal_chain_hash`).
"""

import hashlib
import json
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii as _string
from typing import Any

GENESIS_HASH = "0" * 64

# An event's stored columns besides its id, in the order the verifier reads them.
EVENT_COLUMNS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "reason",
    "ip",
    "request_id",
    "data",
    "prev_hash",
    "hash",
)

_sha256 = hashlib.sha256
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode


def data_canonical(data: Any) -> str:
    """An event's `data` as it appears in the canonical document."""
    return _dumps(data)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def event_canonical(
    occurred_at: str,
    actor: int | None,
    actor_label: str,
    agency: int | None,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
    ip: str | None,
    request_id: str,
    data: str,
    prev_hash: str = "",
) -> str:
    """The canonical document. `occurred_at` is the UTC ISO time with microseconds and
    `data` already canonical (`data_canonical`); `prev_hash` is only in events written
    when the log was one hash chain (empty since)."""
    parts = [
        '{"action":',
        _string(action),
        ',"actor":',
        _number(actor),
        ',"actor_label":',
        _string(actor_label),
        ',"agency":',
        _number(agency),
        ',"data":',
        data,
        ',"ip":',
        "null" if ip is None else _string(ip),
        ',"object_id":',
        _string(object_id),
        ',"object_type":',
        _string(object_type),
        ',"occurred_at":',
        _string(occurred_at),
    ]
    if prev_hash:
        parts += [',"prev_hash":', _string(prev_hash)]
    parts += [',"reason":', _string(reason), ',"request_id":', _string(request_id), "}"]
    return "".join(parts)


def event_hash(*fields: Any) -> str:
    """SHA-256 (hex) of `event_canonical(*fields)`."""
    return _sha256(event_canonical(*fields).encode()).hexdigest()


def batch_digest(pairs: Iterable[tuple[int, str]]) -> str:
    """The digest of a seal's events: SHA-256 over "id:hash\\n" for each, in id order.
    The ids are in it, so moving events (with their hashes) changes it."""
    return _sha256("".join([f"{pk}:{h}\n" for pk, h in pairs]).encode()).hexdigest()


def seal_chain_hash(previous: str, first_id: int, last_id: int, count: int, digest: str) -> str:
    """A seal's chain hash: H(previous seal's chain hash | its range | count | digest)."""
    return _sha256(f"{previous}|{first_id}|{last_id}|{count}|{digest}".encode()).hexdigest()
