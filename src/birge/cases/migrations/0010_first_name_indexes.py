"""A blind index of each person's first name alone, so that the case list finds "Leyla".

Existing persons get theirs through `identity_indexes_rebuild`, given this migration's
models and only this purpose: in batches of their own transactions (the migration is not
atomic), so an interrupted `birge migrate` simply runs it again.
"""

from django.db import migrations, models


def first_name_indexes(apps, schema_editor):
    from birge.cases.identity import identity_indexes_rebuild

    identity_indexes_rebuild(
        batch_size=2000,
        person_model=apps.get_model("cases", "Person"),
        index_model=apps.get_model("cases", "PersonIndex"),
        declaration_model=apps.get_model("cases", "ConflictDeclaration"),
        purposes=["first_name"],
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0009_idempotent_request"),
    ]

    operations = [
        migrations.AlterField(
            model_name="personindex",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("name", "Name"),
                    ("name_birth", "Name Birth"),
                    ("name_phone", "Name Phone"),
                    ("last_name", "Last Name"),
                    ("first_name", "First Name"),
                    ("stem_birth", "Stem Birth"),
                ],
                max_length=12,
            ),
        ),
        migrations.RunPython(first_name_indexes, migrations.RunPython.noop),
    ]
