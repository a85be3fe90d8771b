"""Version 2 of the shipped instruments, and her fear for a child's life.

Installs the shipped instrument versions that are not there yet (on an existing database,
the version 2 files; a new database has them from 0002 already). Version 1 stays: the
assessments made with it keep it. New assessments use the newest active version.
"""

from django.db import migrations, models


def load(apps, schema_editor):
    from birge.risk.engine import shipped_instruments

    InstrumentVersion = apps.get_model("risk", "InstrumentVersion")
    for instrument in shipped_instruments():
        InstrumentVersion.objects.get_or_create(
            instrument_id=instrument.id,
            version=instrument.version,
            defaults={"source": instrument.source, "sha256": instrument.sha256},
        )


class Migration(migrations.Migration):
    dependencies = [("risk", "0003_judgement_alone")]

    operations = [
        migrations.AlterField(
            model_name="riskassessment",
            name="victim_fear",
            field=models.CharField(
                choices=[
                    ("not_asked", "Not asked"),
                    ("not_afraid", "She is not afraid"),
                    ("afraid", "She is afraid"),
                    ("very_afraid", "She is very afraid for her life"),
                    ("child_life", "She is very afraid for a child's life"),
                ],
                default="not_asked",
                max_length=12,
                verbose_name="her own view of the danger",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
