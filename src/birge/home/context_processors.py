from django.conf import settings

from birge.agencies.selectors import user_has_capability, user_roles
from birge.notifications.selectors import unread_count


def birge(request):
    user = getattr(request, "user", None)

    def can(capability: str) -> bool:
        return user is not None and user_has_capability(user, capability)

    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user=user)
    return {
        "user_roles": user_roles(user) if user is not None else [],
        "unread_notifications": unread,
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
