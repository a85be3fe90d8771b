"""Install the instruments that come with Birge (src/birge/risk/instruments/).

Later versions are added by `birge instruments` or on the instruments page; this
migration only ever adds a version that is not there yet.
"""

from django.db import migrations


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
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
