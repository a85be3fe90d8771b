"""Writing the audit log: each event with its own hash, and no lock; the sealer
(`birge.audit.sealing`) later covers it with a chained seal."""

from contextlib import nullcontext
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from birge.audit.models import AuditEvent, EventReason
from birge.web import request_context


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

    The event's hash covers its own content only: nothing is read from or locked in the
    log, so concurrent requests append without waiting for each other.
    """
    context = request_context.current()
    data = dict(data or {})
    # One INSERT needs no savepoint; a reason and its event commit together.
    written = reason.strip() if reason else ""
    with transaction.atomic() if written else nullcontext():
        if written:
            text = str(object_id)
            is_id = object_type == "case" and text.isascii() and text.isdigit() and len(text) <= 18
            case_id = int(text) if is_id else None
            data["reason"] = EventReason.objects.create(case_id=case_id, text=written).pk
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
        )
        event.hash = event.compute_hash()
        event.save()
    return event
