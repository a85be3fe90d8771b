"""Reads of protection orders, through the case's access policy: an order is seen by
whoever may see its case (`case_get_for_user`); missing and forbidden are the same 404."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from birge.access.cases import case_get_for_user, cases_visible_to
from birge.agencies.models import Agency
from birge.agencies.selectors import user_has_capability
from birge.cases.models import Case, RiskLevel
from birge.justice.models import OrderBreach, ProtectionOrder
from birge.justice.order_types import AGENCY_KINDS, order_types

HIGH_RISK = (RiskLevel.HIGH, RiskLevel.CRITICAL)
NOT_FOLLOWED = (ProtectionOrder.Status.REFUSED,)


def order_get_for_user(*, user, order_id: int | str, write: bool = False) -> ProtectionOrder:
    """The order, when its case is hers to see (to write, with `write`); else 404."""
    case_id = ProtectionOrder.objects.filter(pk=order_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = case_get_for_user(user=user, case_id=case_id, write=write)
    order = ProtectionOrder.objects.select_related("issuing_agency", "perpetrator").get(pk=order_id)
    assert isinstance(case, Case)
    order.case = case
    return order


def breach_get_for_user(*, user, order: ProtectionOrder, breach_id: int | str) -> OrderBreach:
    breach = OrderBreach.objects.filter(order=order, pk=breach_id).first()
    if breach is None:
        raise Http404
    breach.order = order
    return breach


def order_issuers() -> QuerySet[Agency]:
    """The agencies an application may go to: open ones of a kind that issues orders."""
    return Agency.objects.filter(is_active=True, kind__in=AGENCY_KINDS).order_by("kind", "code")


def orders_of_case(case: Case) -> QuerySet[ProtectionOrder]:
    return (
        ProtectionOrder.objects.filter(case=case)
        .select_related("issuing_agency", "perpetrator")
        .order_by("-id")
    )


def orders_flagged() -> QuerySet[ProtectionOrder]:
    """Expired short-term orders that no long-term order followed, on open cases at high
    or critical risk: she may be unprotected while the danger stays."""
    short = [t.code for t in order_types().types.values() if t.is_short_term]
    followed = ProtectionOrder.objects.filter(follows=OuterRef("pk")).exclude(
        status__in=NOT_FOLLOWED
    )
    return ProtectionOrder.objects.filter(
        status=ProtectionOrder.Status.EXPIRED,
        order_type__in=short,
        case__status=Case.Status.OPEN,
        case__risk_level__in=HIGH_RISK,
    ).exclude(Exists(followed))


def order_is_flagged(order: ProtectionOrder) -> bool:
    return orders_flagged().filter(pk=order.pk).exists()


def orders_flagged_for_coordinator(user) -> QuerySet[ProtectionOrder]:
    """The flagged orders of the cases she coordinates ("My work"); with no named
    coordinator, the owning agency's coordinators see them."""
    if not user_has_capability(user, "case.coordinate"):
        return ProtectionOrder.objects.none()
    mine = Q(case__coordinator=user) | Q(
        case__coordinator__isnull=True, case__owning_agency_id=user.agency_id
    )
    return (
        orders_flagged()
        .filter(mine, case__in=cases_visible_to(user).values("pk"))
        .select_related("case")
        .order_by("ends_on", "id")
    )


def orders_to_expire(today) -> QuerySet[ProtectionOrder]:
    return ProtectionOrder.objects.filter(
        status__in=(ProtectionOrder.Status.ISSUED, ProtectionOrder.Status.IN_FORCE),
        ends_on__lt=today,
    )


def orders_to_remind(today, horizon) -> QuerySet[ProtectionOrder]:
    return ProtectionOrder.objects.filter(
        status__in=(ProtectionOrder.Status.ISSUED, ProtectionOrder.Status.IN_FORCE),
        ends_on__gte=today,
        ends_on__lte=horizon,
        expiry_reminded_at__isnull=True,
    )
