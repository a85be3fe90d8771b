import pytest
from django.db import connection

from birge.audit.models import AuditEvent
from birge.audit.sealing import seal_pending
from birge.audit.services import event_record


@pytest.fixture
def chain(officer, lead):
    """Six events, sealed, oldest first."""
    for number in range(3):
        event_record(action="test.viewed", actor=officer, object_type="case", object_id=number)
        event_record(action="test.changed", actor=lead, object_type="case", object_id=number)
    seal_pending()
    return list(AuditEvent.objects.order_by("id"))


@pytest.fixture
def no_triggers(db):
    """Drop the append-only triggers, as a database administrator could; rolled back after."""
    statements = {
        "sqlite": [
            "DROP TRIGGER audit_event_no_update",
            "DROP TRIGGER audit_event_no_delete",
            "DROP TRIGGER audit_seal_no_update",
            "DROP TRIGGER audit_seal_no_delete",
            "DROP TRIGGER audit_checkpoint_no_update",
            "DROP TRIGGER audit_checkpoint_no_delete",
        ],
        "postgresql": [
            "DROP TRIGGER audit_event_append_only ON audit_auditevent",
            "DROP TRIGGER audit_seal_append_only ON audit_auditseal",
            "DROP TRIGGER audit_checkpoint_append_only ON audit_auditcheckpoint",
        ],
    }[connection.vendor]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
