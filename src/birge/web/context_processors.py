from django.conf import settings

from birge.agencies.selectors import user_has_capability


def birge(request):
    user = getattr(request, "user", None)

    def can(capability: str) -> bool:
        return user is not None and user_has_capability(user, capability)

    return {
        "BIRGE_DEMO": settings.BIRGE_DEMO,
        "BIRGE_VERSION": settings.BIRGE_VERSION,
        "can_manage_users": can("users.manage"),
        "can_manage_agencies": can("agencies.manage"),
        "can_read_audit": can("audit.read"),
    }
