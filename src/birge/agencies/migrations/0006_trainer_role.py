"""The trainer role, for databases made before it existed (a fresh database gets it from
0002 like every standard role)."""

import importlib

from django.db import migrations

standard_roles = importlib.import_module("birge.agencies.migrations.0002_standard_roles")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_user_session_generation")]

    operations = [migrations.RunPython(standard_roles.create_roles, migrations.RunPython.noop)]
