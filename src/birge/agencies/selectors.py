"""Reads about agencies, users and what they may do."""

from django.db.models import QuerySet

from birge.agencies.models import Agency, Role, User


def user_capabilities(user) -> frozenset[str]:
    """Every capability the user's roles grant; cached on the user object per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_birge_capabilities", None)
    if cached is None:
        cached = frozenset(code for role in user_roles(user) for code in (role.capabilities or []))
        user._birge_capabilities = cached
    return cached


def user_roles(user) -> list[Role]:
    """The user's roles, read once per request (the header and every check use them)."""
    cached = getattr(user, "_birge_roles", None)
    if cached is None:
        cached = list(user.roles.all()) if getattr(user, "is_authenticated", False) else []
        user._birge_roles = cached
    return cached


def user_has_capability(user, capability: str) -> bool:
    """The one question every permission check in Birge asks."""
    return capability in user_capabilities(user)


def agency_list() -> QuerySet[Agency]:
    return Agency.objects.select_related("region").order_by("code")


def users_manageable_by(actor: User) -> QuerySet[User]:
    """Users the actor may manage: all for a system administrator, her agency's for a lead."""
    users = User.objects.select_related("agency").prefetch_related("roles")
    if user_has_capability(actor, "agencies.manage"):
        return users
    if user_has_capability(actor, "users.manage"):
        return users.filter(agency_id=actor.agency_id)
    return users.none()


def roles_assignable_by(actor: User) -> QuerySet[Role]:
    if user_has_capability(actor, "agencies.manage"):
        return Role.objects.all()
    if user_has_capability(actor, "users.manage"):
        return Role.objects.filter(assignable_by_agency_lead=True)
    return Role.objects.none()


def users_with_capability(capability: str, *, agency_id: int | None = None) -> QuerySet[User]:
    """Active users whose roles grant the capability (for alerts: auditors, leads)."""
    roles = [role.pk for role in Role.objects.all() if capability in (role.capabilities or [])]
    users = User.objects.filter(is_active=True, roles__in=roles).distinct()
    if agency_id is not None:
        users = users.filter(agency_id=agency_id)
    return users
