"""The database itself refuses to change or delete audit seals, as it does for events
(0002). A database administrator can still drop these triggers; signed checkpoints kept
outside the database make a rewritten seal visible (`birge audit verify --checkpoints`).

On SQLite, 0006 rebuilt the event table (to drop the hash's unique index), which drops
its triggers: they are made again here. Any later migration that alters audit_auditevent
on SQLite must do the same.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END""",
    """CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_auditseal
       BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_seal_no_update",
    "DROP TRIGGER IF EXISTS audit_seal_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION birge_audit_seal_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit seals are append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_auditseal
       FOR EACH ROW EXECUTE FUNCTION birge_audit_seal_append_only()""",
    """CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_auditseal
       FOR EACH STATEMENT EXECUTE FUNCTION birge_audit_seal_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_auditseal",
    "DROP TRIGGER IF EXISTS audit_seal_no_truncate ON audit_auditseal",
    "DROP FUNCTION IF EXISTS birge_audit_seal_append_only()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_event_own_hash_and_seals")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
