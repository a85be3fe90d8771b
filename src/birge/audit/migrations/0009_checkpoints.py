"""Signed checkpoints kept in the database too (`AuditCheckpoint`), append-only like the
events and seals (0002, 0007): the database refuses to change or delete them. A database
administrator can still drop these triggers; the checkpoints kept outside the database
(BIRGE_AUDIT_CHECKPOINT_FILE, syslog) then still tell what the log held."""

from django.db import migrations, models

SQLITE_UP = [
    """CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END""",
    """CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint
       BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION birge_audit_checkpoint_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit checkpoints are append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE
       ON audit_auditcheckpoint
       FOR EACH ROW EXECUTE FUNCTION birge_audit_checkpoint_append_only()""",
    """CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint
       FOR EACH STATEMENT EXECUTE FUNCTION birge_audit_checkpoint_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint",
    "DROP FUNCTION IF EXISTS birge_audit_checkpoint_append_only()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0008_seal_existing_events")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seal_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="head seal"),
                ),
                (
                    "event_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="last event"),
                ),
                ("chain_hash", models.CharField(max_length=64, verbose_name="chain hash")),
                ("events", models.PositiveBigIntegerField(verbose_name="events")),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, verbose_name="made at (UTC)"),
                ),
                ("signature", models.CharField(max_length=64, verbose_name="signature")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["id"],
                "base_manager_name": "objects",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
