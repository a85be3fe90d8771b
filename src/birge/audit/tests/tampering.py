"""What someone with write access to the database could do to the audit table.

Each helper works below the ORM's guard (a plain QuerySet over the table, as raw SQL
would) and needs the `no_triggers` fixture, since the database's triggers refuse all of it.
"""

from django.db.models import QuerySet

from birge.audit.models import AuditEvent

COLUMNS = [
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
]

rows = QuerySet(model=AuditEvent)


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
    overwrite(first_id, hash="-")  # the hash column is unique
    overwrite(second_id, **first)
    overwrite(first_id, **second)


def rehash_from(event_id: int) -> None:
    """Recompute every hash from this event on, so that the chain is consistent again."""
    previous = rows.filter(pk__lt=event_id).order_by("-id").values_list("hash", flat=True).first()
    for event in rows.filter(pk__gte=event_id).order_by("id"):
        if previous is not None:
            event.prev_hash = previous
        new_hash = event.compute_hash()
        overwrite(event.pk, prev_hash=event.prev_hash, hash=new_hash)
        previous = new_hash


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
        prev_hash=before.hash,
        **content,
    )
    forged.hash = forged.compute_hash()
    rows.bulk_create([forged])
    return forged.pk
