"""Writing the audit log. Every event is chained to the one before it."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from birge.audit.models import GENESIS_HASH, AuditEvent, EventReason
from birge.web import request_context

# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_CHAIN_LOCK = 0x42495247  # "BIRG"


def _lock_chain() -> None:
    """Hold the chain until this transaction ends, so that appends never interleave.

    On PostgreSQL an advisory transaction lock; on SQLite the IMMEDIATE transaction
    mode (settings) already gives the writer the whole database.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _normalised_ip(ip: str | None) -> str | None:
    return models.GenericIPAddressField().get_prep_value(ip) if ip else None


def event_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    actor_label: str = "",
    object_type: str = "",
    object_id: Any = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event. Call inside the transaction of the change it records.

    `data` holds codes and identifiers only (role codes, field names): never names,
    addresses or narratives. A `reason` is free text a person wrote, so it is not written
    into the log: it is kept encrypted and erasable (EventReason, tied to the case when the
    event is about one), and the event points at it. The request's id and client address
    come from the context.
    """
    context = request_context.current()
    data = dict(data or {})
    with transaction.atomic():
        if reason and reason.strip():
            text = str(object_id)
            is_id = object_type == "case" and text.isascii() and text.isdigit() and len(text) <= 18
            case_id = int(text) if is_id else None
            data["reason"] = EventReason.objects.create(case_id=case_id, text=reason.strip()).pk
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        actor_id = actor.pk if actor is not None and actor.pk else None
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label or (actor.get_username() if actor and actor_id else ""),
            agency_id=getattr(actor, "agency_id", None) if actor_id else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id not in (None, "") else "",
            ip=_normalised_ip(context.ip),
            request_id=context.request_id,
            data=data,
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save()
    return event
