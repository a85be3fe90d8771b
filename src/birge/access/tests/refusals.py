"""For route tests: what an outsider's tries leave in the audit log."""

from birge.access.trail import DENIED, DENIED_MANY
from birge.audit.models import AuditEvent


def only_refusals(user) -> bool:
    """Her tries changed nothing and left only refusals (`access.denied`), which say no
    more than the 404 did: no data, no reason."""
    events = AuditEvent.objects.filter(actor=user).exclude(action__startswith="auth.")
    return all(
        (e.action in (DENIED, DENIED_MANY) and not e.reason and e.data in ({}, None))
        or e.action == DENIED_MANY
        for e in events
    )
