"""Loading the synthetic demo data; safe to run again."""

from django.db import transaction
from django.utils import timezone

from birge.agencies.models import Agency, ProtocolVersion, Region, Role, Service, User
from birge.agencies.protocol import protocol_adopt, protocol_draft_save, protocol_propose
from birge.audit.services import event_record
from birge.demo import data
from birge.demo.protocol import PROTOCOL_V1, PROTOCOL_V1_NOTE


@transaction.atomic
def demo_load() -> list[User]:
    """Create or bring back up to date the demo regions, agencies, users, services and the
    co-operation protocol (version 1, adopted by the administrator)."""
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
    _services_load(agencies, regions)
    _protocol_load(next(user for user in users if user.username == "admin"))
    return users


def _services_load(agencies: dict, regions: dict) -> None:
    for code, kind, (az, ru, en), covered, places, contact, hours, languages in data.SERVICES:
        service, is_new = Service.objects.update_or_create(
            agency=agencies[code],
            kind=kind,
            defaults={
                "name_az": az,
                "name_ru": ru,
                "name_en": en,
                "contact": contact,
                "hours": hours,
                "languages": languages,
            },
        )
        if is_new and places is not None:
            # Free places change every day; a second load keeps what the shelter said.
            service.capacity, service.capacity_updated_at = places, timezone.now()
            service.save(update_fields=["capacity", "capacity_updated_at"])
        service.regions.set([regions[region] for region in covered])


def _protocol_load(admin: User) -> None:
    """Version 1, drafted, proposed and adopted by the administrator of the coordinating
    body, through the same services (and audit events) as anyone's version."""
    if ProtocolVersion.objects.exists():
        return
    version = protocol_draft_save(
        actor=admin, content=PROTOCOL_V1, note=data.in_demo_language(PROTOCOL_V1_NOTE)
    )
    protocol_propose(actor=admin, version=version)
    protocol_adopt(actor=admin, version=version)
