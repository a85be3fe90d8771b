"""Checking the audit chain and signing its head.

`chain_verify` recomputes every event's hash and link. Anyone who can write to the
database could rebuild a consistent chain, so `checkpoint_create` signs the head with a
key kept outside the database; a checkpoint stored elsewhere then proves that the events
up to it are still the ones that were there when it was made.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from django.utils import timezone

from birge.audit.models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_id: int | None
    head_hash: str
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def chain_verify() -> ChainReport:
    """Walk the chain in order; stop at the first event that is not what it should be."""
    previous = GENESIS_HASH
    head_id = None
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.compute_hash() != event.hash:
            return ChainReport(
                checked, head_id, previous, event.id, "its content does not match its hash"
            )
        if event.prev_hash != previous:
            return ChainReport(
                checked,
                head_id,
                previous,
                event.id,
                "it does not follow the event before it: "
                "an event was deleted, inserted or moved before it",
            )
        previous = event.hash
        head_id = event.id
        checked += 1
    return ChainReport(checked, head_id, previous)


def _signature(payload: dict, key: str) -> str:
    message = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def checkpoint_create(*, key: str) -> dict:
    """A signed statement of the chain's head: its last event id, hash and length."""
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    payload = {
        "event_id": head["id"] if head else None,
        "hash": head["hash"] if head else GENESIS_HASH,
        # Counted up to the head itself: an event appended meanwhile is not part of it.
        "events": AuditEvent.objects.filter(id__lte=head["id"]).count() if head else 0,
        "created_at": timezone.now().isoformat(timespec="seconds"),
    }
    return {**payload, "signature": _signature(payload, key)}


def checkpoint_verify(checkpoint: dict, *, key: str) -> str:
    """Empty when the checkpoint is genuine and the chain still holds its head; else why not."""
    payload = {k: checkpoint.get(k) for k in ("event_id", "hash", "events", "created_at")}
    if not hmac.compare_digest(_signature(payload, key), str(checkpoint.get("signature", ""))):
        return "the checkpoint's signature is not valid"
    if payload["event_id"] is None:
        return ""
    stored = AuditEvent.objects.filter(id=payload["event_id"]).values_list("hash", flat=True)
    if not stored:
        return f"event #{payload['event_id']} named by the checkpoint is missing"
    if stored[0] != payload["hash"]:
        return f"event #{payload['event_id']} no longer has the hash the checkpoint recorded"
    if AuditEvent.objects.filter(id__lte=payload["event_id"]).count() != payload["events"]:
        return f"the number of events up to #{payload['event_id']} has changed"
    return ""
