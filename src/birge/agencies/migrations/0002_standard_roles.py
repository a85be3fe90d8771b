from django.db import migrations

from birge.agencies.roles import STANDARD_ROLES


def create_roles(apps, schema_editor):
    Role = apps.get_model("agencies", "Role")
    for position, spec in enumerate(STANDARD_ROLES):
        name_az, name_ru, name_en = spec["names"]
        Role.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name_az": name_az,
                "name_ru": name_ru,
                "name_en": name_en,
                "capabilities": spec["capabilities"],
                "assignable_by_agency_lead": spec["assignable_by_agency_lead"],
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
