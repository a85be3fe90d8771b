"""Loading the synthetic demo data; safe to run again."""

from django.db import transaction

from birge.agencies.models import Agency, Region, Role, User
from birge.audit.services import event_record
from birge.demo import data


@transaction.atomic
def demo_load() -> list[User]:
    """Create or bring back up to date the demo regions, agencies and users."""
    regions = {}
    for code, az, ru, en in data.REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code, defaults={"name_az": az, "name_ru": ru, "name_en": en}
        )
    agencies = {}
    for code, kind, region, (az, ru, en) in data.AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "region": regions[region],
                "name_az": az,
                "name_ru": ru,
                "name_en": en,
            },
        )
    roles = {role.code: role for role in Role.objects.all()}
    users = []
    created = 0
    for username, first, last, agency, role_codes in data.USERS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.birge.invalid",
                "agency": agencies[agency],
            },
        )
        if is_new:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        user.roles.set([roles[code] for code in role_codes])
        users.append(user)
    if created:
        event_record(action="demo.loaded", data={"users_created": created})
    return users
