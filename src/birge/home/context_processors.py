from django.conf import settings
from django.core.cache import cache

from birge.agencies.selectors import user_has_capability, user_roles
from birge.home.counting import counts
from birge.home.work import work_querysets
from birge.notifications.selectors import unread_notifications
from birge.referrals.selectors import referrals_to_agency

# The "my work" badge may lag by this much: it is counted fresh on the home page and at
# most once a minute elsewhere (counting its sections through the access policy costs
# every page about as much as the page's own work).
WORK_COUNT_SECONDS = 60


def _work_count_key(user) -> str:
    return f"home:my-work-count:{user.pk}"


def work_count_remember(user, total: int) -> None:
    """The home page has just counted her work: the header shows the same number."""
    cache.set(_work_count_key(user), total, WORK_COUNT_SECONDS)


def header_counts(user) -> dict[str, int]:
    """The numbers beside the header's links, in one query: unread notifications and
    referrals awaiting her agency's answer, always fresh; everything on her "my work"
    page, counted in the same query at most once a minute."""
    querysets = {"unread_notifications": unread_notifications(user=user)}
    if user_has_capability(user, "referral.receive"):
        querysets["referrals_awaiting"] = referrals_to_agency(user=user, awaiting=True)
    work_count = cache.get(_work_count_key(user))
    work = work_querysets(user) if work_count is None else {}
    found = {"referrals_awaiting": 0} | counts(
        **querysets, **{f"work_{kind}": queryset for kind, queryset in work.items()}
    )
    if work_count is None:
        work_count = sum(found[f"work_{kind}"] for kind in work)
        work_count_remember(user, work_count)
    return {
        "unread_notifications": found["unread_notifications"],
        "referrals_awaiting": found["referrals_awaiting"],
        "my_work_count": work_count,
    }


def birge(request):
    user = getattr(request, "user", None)

    def can(capability: str) -> bool:
        return user is not None and user_has_capability(user, capability)

    header = {"unread_notifications": 0, "referrals_awaiting": 0, "my_work_count": 0}
    if user is not None and user.is_authenticated:
        header = header_counts(user)
    return {
        "user_roles": user_roles(user) if user is not None else [],
        "unread_notifications": header["unread_notifications"],
        "referrals_awaiting": header["referrals_awaiting"],
        "my_work_count": header["my_work_count"],
        "can_view_cases": can("case.view"),
        "can_emergency_access": can("case.emergency_access"),
        "can_edit_cases": can("case.edit"),
        "can_create_cases": can("case.create"),
        "can_assess_risk": can("risk.assess"),
        "can_validate_risk": can("stats.view") or can("case.coordinate"),
        "can_manage_instruments": can("protocol.manage"),
        "can_see_compliance": can("agency.oversee") or can("protocol.manage") or can("stats.view"),
        "can_see_statistics": can("stats.view") or can("agency.oversee"),
        "BIRGE_DEMO": settings.BIRGE_DEMO,
        "BIRGE_VERSION": settings.BIRGE_VERSION,
        "can_manage_users": can("users.manage"),
        "can_manage_agencies": can("agencies.manage"),
        "can_read_audit": can("audit.read"),
    }
