from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from birge.agencies.selectors import user_has_capability, user_roles
from birge.notifications.selectors import unread_notifications
from birge.referrals.selectors import referrals_to_agency


def counts(**querysets: QuerySet) -> dict[str, int]:
    """How many rows each queryset has, in one query (the header asks on every page)."""
    if not querysets:
        return {}
    columns, params = [], []
    for number, queryset in enumerate(querysets.values()):
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a queryset that can hold nothing (`.none()`)
            columns.append("0")
            continue
        # The SQL is Django's own compilation of the queryset, its values are parameters.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{number})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def header_counts(user) -> dict[str, int]:
    """The numbers beside the header's links: unread notifications, referrals awaiting her
    agency's answer."""
    querysets = {"unread_notifications": unread_notifications(user=user)}
    if user_has_capability(user, "referral.receive"):
        querysets["referrals_awaiting"] = referrals_to_agency(user=user, awaiting=True)
    return {"referrals_awaiting": 0} | counts(**querysets)


def birge(request):
    user = getattr(request, "user", None)

    def can(capability: str) -> bool:
        return user is not None and user_has_capability(user, capability)

    header = {"unread_notifications": 0, "referrals_awaiting": 0}
    if user is not None and user.is_authenticated:
        header = header_counts(user)
    return {
        "user_roles": user_roles(user) if user is not None else [],
        "unread_notifications": header["unread_notifications"],
        "referrals_awaiting": header["referrals_awaiting"],
        "can_view_cases": can("case.view"),
        "can_emergency_access": can("case.emergency_access"),
        "can_edit_cases": can("case.edit"),
        "can_assess_risk": can("risk.assess"),
        "can_validate_risk": can("stats.view") or can("case.coordinate"),
        "can_manage_instruments": can("protocol.manage"),
        "can_see_compliance": can("agency.oversee") or can("protocol.manage") or can("stats.view"),
        "BIRGE_DEMO": settings.BIRGE_DEMO,
        "BIRGE_VERSION": settings.BIRGE_VERSION,
        "can_manage_users": can("users.manage"),
        "can_manage_agencies": can("agencies.manage"),
        "can_read_audit": can("audit.read"),
    }
