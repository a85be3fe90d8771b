"""The service directory: what each agency offers, where, and how many shelter places are
free. Referrals are sent to these services. Reads and writes for it live here.

An agency lead (users.manage) keeps her own agency's services; a system administrator
(agencies.manage) keeps every agency's. Every change is audited in its transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.agencies.models import Agency, Region, Service, User
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record

MAX_CAPACITY = 10_000


# Reads ------------------------------------------------------------------------------------


def services_for(
    *,
    kind: str | None = None,
    region: Region | int | None = None,
    agency: Agency | int | None = None,
    active: bool | None = True,
) -> QuerySet[Service]:
    """Services of a kind, in a region, of an agency (for the referral form).

    `active=True` keeps only services in use at agencies in use; None keeps every one."""
    services = Service.objects.select_related("agency").prefetch_related("regions")
    if kind:
        services = services.filter(kind=kind)
    if region is not None:
        region_id = region.pk if isinstance(region, Region) else region
        covering = Service.regions.through.objects.filter(region_id=region_id)
        services = services.filter(pk__in=covering.values("service_id"))
    if agency is not None:
        services = services.filter(agency_id=agency.pk if isinstance(agency, Agency) else agency)
    if active is True:
        services = services.filter(is_active=True, agency__is_active=True)
    elif active is False:
        services = services.filter(Q(is_active=False) | Q(agency__is_active=False))
    return services.order_by("agency__code", "kind", "pk")


def directory_visible_to(user) -> bool:
    """The directory is for the people who refer and receive, and those who keep it."""
    return any(
        user_has_capability(user, capability)
        for capability in ("case.view", "agency.oversee", "users.manage", "agencies.manage")
    )


def services_manageable_by(actor) -> QuerySet[Service]:
    """All services for a system administrator, her agency's for an agency lead."""
    services = Service.objects.select_related("agency").prefetch_related("regions")
    if user_has_capability(actor, "agencies.manage"):
        return services
    if user_has_capability(actor, "users.manage"):
        return services.filter(agency_id=actor.agency_id)
    return services.none()


def service_agencies_for(actor) -> QuerySet[Agency]:
    """Agencies whose services the actor may add."""
    if user_has_capability(actor, "agencies.manage"):
        return Agency.objects.filter(is_active=True)
    if user_has_capability(actor, "users.manage"):
        return Agency.objects.filter(pk=actor.agency_id)
    return Agency.objects.none()


def _check_agency(actor: User, agency_id: int | None) -> None:
    if user_has_capability(actor, "agencies.manage"):
        return
    if user_has_capability(actor, "users.manage") and agency_id == actor.agency_id:
        return
    raise PermissionError("not her agency's service")


# Writes -----------------------------------------------------------------------------------


def service_save(*, actor: User, service: Service, regions: list[Region] | None = None) -> Service:
    """Create or change a service (and, when given, the regions it covers)."""
    created = service.pk is None
    _check_agency(actor, service.agency_id)
    if not created:
        # The agency it belonged to until now must be hers as well: no taking over.
        stored = Service.objects.filter(pk=service.pk).values_list("agency_id", flat=True)
        _check_agency(actor, stored.first())
    if regions is not None and not regions:
        raise ValidationError({"regions": _("Choose at least one region the service covers.")})
    with transaction.atomic():
        service.full_clean(exclude=["regions"])
        service.save()
        if regions is not None:
            service.regions.set(regions)
        event_record(
            action="service.created" if created else "service.updated",
            actor=actor,
            object_type="service",
            object_id=service.pk,
            data={"agency": service.agency_id, "kind": service.kind},
        )
    return service


def service_capacity_set(*, actor: User, service: Service, capacity: int) -> Service:
    """Free places now (a shelter's beds), with when it was said."""
    _check_agency(actor, service.agency_id)
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise ValidationError({"capacity": _("Enter the number of free places.")})
    if not 0 <= capacity <= MAX_CAPACITY:
        raise ValidationError(
            {"capacity": _("Free places are between 0 and %(max)d.") % {"max": MAX_CAPACITY}}
        )
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        before = service.capacity
        service.capacity, service.capacity_updated_at = capacity, timezone.now()
        service.save(update_fields=["capacity", "capacity_updated_at"])
        event_record(
            action="service.capacity_changed",
            actor=actor,
            object_type="service",
            object_id=service.pk,
            data={"before": before, "after": capacity},
        )
    return service
