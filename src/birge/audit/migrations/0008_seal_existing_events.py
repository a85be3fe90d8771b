"""Seal the events written before seals existed, so that an existing log verifies.

Their hashes stay as they were (each covers its `prev_hash` too); the seals cover them
like any other events. Uses the sealer itself (`birge.audit.sealing`), which works on the
tables directly, so that these seals are exactly what `birge audit verify` expects.
"""

from django.db import migrations


def seal(apps, schema_editor):
    from birge.audit.sealing import seal_pending

    # An old application server may still be appending during the deployment: wait up to
    # a minute for its transactions; whatever is left is sealed by the audit_seal job.
    seal_pending(using=schema_editor.connection.alias, wait=60.0)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_seal_append_only_triggers")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
