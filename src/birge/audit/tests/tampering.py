"""What someone with write access to the database could do to the audit tables.

Each helper works below the ORM's guard (a plain QuerySet over the table, as raw SQL
would) and needs the `no_triggers` fixture, since the database's triggers refuse all of it.
"""

from django.db.models import QuerySet

from birge.audit.hashing import EVENT_COLUMNS, GENESIS_HASH, batch_digest, seal_chain_hash
from birge.audit.models import AuditEvent, AuditSeal

COLUMNS = EVENT_COLUMNS

rows = QuerySet(model=AuditEvent)
seals = QuerySet(model=AuditSeal)


def overwrite(event_id: int, **columns) -> None:
    rows.filter(pk=event_id).update(**columns)


def delete(event_id: int) -> None:
    rows.filter(pk=event_id).delete()


def reload(event_id: int) -> AuditEvent:
    return rows.get(pk=event_id)


def swap(first_id: int, second_id: int) -> None:
    """Exchange two events' whole contents, hashes included, keeping their ids."""
    first = rows.filter(pk=first_id).values(*COLUMNS).get()
    second = rows.filter(pk=second_id).values(*COLUMNS).get()
    overwrite(second_id, **first)
    overwrite(first_id, **second)


def overwrite_seal(seal_id: int, **columns) -> None:
    seals.filter(pk=seal_id).update(**columns)


def delete_seal(seal_id: int) -> None:
    seals.filter(pk=seal_id).delete()


def reseal_from(event_id: int) -> None:
    """Recompute the digest and chain hash of the seal covering this event and of every
    seal after it, from the events as they now are: a consistent forgery."""
    previous = GENESIS_HASH
    for seal in seals.order_by("id"):
        if seal.last_id >= event_id:
            pairs = list(
                rows.filter(pk__gte=seal.first_id, pk__lte=seal.last_id)
                .order_by("id")
                .values_list("id", "hash")
            )
            digest = batch_digest(pairs)
            chain = seal_chain_hash(previous, seal.first_id, seal.last_id, len(pairs), digest)
            overwrite_seal(seal.pk, count=len(pairs), digest=digest, chain_hash=chain)
            previous = chain
        else:
            previous = seal.chain_hash


def rehash_from(event_id: int) -> None:
    """Recompute this event's hash, then every seal from the one covering it on, so that
    hashes and seals are consistent again."""
    event = reload(event_id)
    overwrite(event_id, hash=event.compute_hash())
    reseal_from(event_id)


def insert_after(event_id: int, **content) -> int:
    """Slip a well-formed event in after `event_id`: later ids move up by one."""
    for later in rows.filter(pk__gt=event_id).order_by("-id").values_list("pk", flat=True):
        overwrite(later, id=later + 1)
    before = reload(event_id)
    forged = AuditEvent(
        id=event_id + 1,
        occurred_at=before.occurred_at,
        actor_id=before.actor_id,
        actor_label=before.actor_label,
        agency_id=before.agency_id,
        action="test.viewed",
        object_type="case",
        object_id="forged",
        **content,
    )
    forged.hash = forged.compute_hash()
    rows.bulk_create([forged])
    return forged.pk
