"""Bind the column-bound (v1) tokens of an existing database to their rows (v2).

The upgrade runs `birge keys rotate`'s code on the historical models, so that the
database reads again after `birge migrate`: a v1 token is refused at runtime, since it
would decrypt in any row of its column it was copied to. Not atomic: each batch commits,
and an interrupted migrate continues where it stopped. On a new database it does nothing.
"""

from django.db import migrations

from birge.privacy.rotation import encrypted_fields, rotate_model


class ValuesNotReadable(Exception):
    pass


def bind_to_rows(apps, schema_editor):
    unreadable = 0
    for model, fields in encrypted_fields(apps):
        report = rotate_model(model, fields, using=schema_editor.connection.alias)
        unreadable += report.unreadable
    if unreadable:
        raise ValuesNotReadable(
            f"{unreadable} encrypted values did not decrypt with any configured key; "
            "configure the key they were written with (BIRGE_ENCRYPTION_KEYS) and migrate "
            "again (`birge keys status` counts them per column)."
        )


class Migration(migrations.Migration):
    atomic = False

    # The latest migrations of the apps whose models had encrypted fields.
    dependencies = [
        ("cases", "0005_alter_circlemember_basis"),
        ("conferences", "0001_initial"),
        ("referrals", "0001_initial"),
        ("risk", "0002_shipped_instruments"),
        ("safety", "0001_initial"),
    ]

    operations = [migrations.RunPython(bind_to_rows, migrations.RunPython.noop, elidable=False)]
