"""The audit tables' append-only triggers, off and on again, for tests whose database is
emptied afterwards by a flush (TRUNCATE on PostgreSQL, DELETE on SQLite), which the
triggers refuse. See `committed_db` in birge/referrals/tests/test_jobs.py."""

import importlib

from django.db import connection

EVENTS = importlib.import_module("birge.audit.migrations.0002_append_only_triggers")
SEALS = importlib.import_module("birge.audit.migrations.0007_seal_append_only_triggers")
CHECKPOINTS = importlib.import_module("birge.audit.migrations.0009_checkpoints")


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def triggers_down() -> None:
    vendor = connection.vendor
    for migration in (EVENTS, SEALS, CHECKPOINTS):
        _run({"sqlite": migration.SQLITE_DOWN, "postgresql": migration.POSTGRES_DOWN}[vendor])


def triggers_up() -> None:
    vendor = connection.vendor
    for migration in (EVENTS, SEALS, CHECKPOINTS):
        _run({"sqlite": migration.SQLITE_UP, "postgresql": migration.POSTGRES_UP}[vendor])
