"""Changes to agencies, users and roles. Each writes its audit event in the same transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from birge.agencies.capabilities import CAPABILITIES
from birge.agencies.models import Agency, Region, Role, User
from birge.agencies.selectors import (
    roles_assignable_by,
    user_has_capability,
    users_manageable_by,
)
from birge.agencies.tokens import password_link_tokens
from birge.audit.services import event_record

# What the administration of Birge needs: agencies, regions and roles, and every user.
ADMINISTRATION = frozenset({"agencies.manage", "users.manage"})


def _administration() -> tuple[bool, bool]:
    """Whether a role grants all of ADMINISTRATION, and whether an active user holds it all
    (through one role or several). Locks the roles until the transaction ends, so that two
    changes that would each leave the other's administrator alone wait for one another."""
    granted = {
        pk: set(capabilities or []) & ADMINISTRATION
        for pk, capabilities in Role.objects.select_for_update()
        .order_by("pk")
        .values_list("pk", "capabilities")
    }
    held: dict[int, set[str]] = {}
    for user_id, role_id in User.roles.through.objects.filter(
        user__is_active=True, role_id__in=[pk for pk, codes in granted.items() if codes]
    ).values_list("user_id", "role_id"):
        held.setdefault(user_id, set()).update(granted[role_id])
    return (
        any(codes == ADMINISTRATION for codes in granted.values()),
        any(codes == ADMINISTRATION for codes in held.values()),
    )


@contextmanager
def _administration_kept(*, field: str, reload=()) -> Iterator[None]:
    """A transaction for a change to roles or users that refuses, on `field`, to take away
    the last role that can administer Birge or the last active administrator (whichever
    route makes the change). Refused, the objects in `reload` are read back as they are."""
    try:
        with transaction.atomic():
            role_before, person_before = _administration()
            yield
            role_after, person_after = _administration()
            if role_before and not role_after:
                raise ValidationError(
                    {field: _("No role would be left that can manage users and agencies.")}
                )
            if person_before and not person_after:
                raise ValidationError(
                    {
                        field: _(
                            "No active administrator would be left: at least one active user "
                            "must keep a role that can manage users and agencies."
                        )
                    }
                )
    except ValidationError:
        for instance in reload:
            instance.refresh_from_db()
        raise


def _check_manageable(*, actor: User, user: User) -> None:
    if not users_manageable_by(actor).filter(pk=user.pk).exists():
        raise PermissionError("not manageable")


def _check_roles(*, actor: User, roles) -> None:
    allowed = set(roles_assignable_by(actor).values_list("pk", flat=True))
    if any(role.pk not in allowed for role in roles):
        raise ValidationError({"roles": _("You may not give one of these roles.")})


def user_invite(*, actor: User, user: User, base_url: str) -> None:
    """Email the person a one-time link to choose her password; the email holds only the link."""
    _check_manageable(actor=actor, user=user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:password_set", args=[uid, password_link_tokens.make_token(user)])
    body = render_to_string("accounts/email/invitation.txt", {"link": base_url.rstrip("/") + path})
    subject = render_to_string("accounts/email/password_reset_subject.txt").strip()
    with transaction.atomic():
        event_record(action="user.invited", actor=actor, object_type="user", object_id=user.pk)
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    agency: Agency,
    roles: list[Role],
) -> User:
    if not user_has_capability(actor, "agencies.manage") and agency.pk != actor.agency_id:
        raise ValidationError({"agency": _("You may only add users to your own agency.")})
    _check_roles(actor=actor, roles=roles)
    with transaction.atomic():
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            agency=agency,
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        user.roles.set(roles)
        event_record(
            action="user.created",
            actor=actor,
            object_type="user",
            object_id=user.pk,
            data={"agency": agency.pk, "roles": sorted(r.code for r in roles)},
        )
    return user


def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[Role],
) -> User:
    _check_manageable(actor=actor, user=user)
    before = set(user.roles.values_list("code", flat=True))
    after = {r.code for r in roles}
    # Roles the actor may not give are kept as they are, not silently dropped.
    kept = [r for r in user.roles.all() if r not in roles_assignable_by(actor)]
    _check_roles(actor=actor, roles=roles)
    with _administration_kept(field="roles", reload=[user]):
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.full_clean(exclude=["password"])
        user.save(update_fields=["first_name", "last_name", "email"])
        user.roles.set([*roles, *kept])
        after |= {r.code for r in kept}
        event_record(action="user.updated", actor=actor, object_type="user", object_id=user.pk)
        if before != after:
            event_record(
                action="user.roles_changed",
                actor=actor,
                object_type="user",
                object_id=user.pk,
                data={"added": sorted(after - before), "removed": sorted(before - after)},
            )
    return user


def user_sessions_end(*, user: User) -> dict:
    """End for good every way in the person holds: her sessions (wherever they are kept:
    the session generation is part of the hash each one carries), her API tokens and her
    pending password links. Returns what to put in the audit event. Call inside the
    transaction of the change that ends them."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    tokens, _by_model = AuthToken.objects.filter(user=user).delete()
    return {"sessions_ended": True, "api_tokens_revoked": tokens}


def user_set_active(*, actor: User, user: User, active: bool, reason: str = "") -> User:
    """Deactivating ends her sessions, API tokens and password links for good, and
    reactivating gives none of them back: she signs in again, two-factor check included.
    (Ended on reactivation too, for accounts deactivated before this was so.)"""
    _check_manageable(actor=actor, user=user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    with _administration_kept(field="is_active", reload=[user]):
        user.is_active = active
        user.save(update_fields=["is_active"])
        ended = user_sessions_end(user=user)
        event_record(
            action="user.reactivated" if active else "user.deactivated",
            actor=actor,
            object_type="user",
            object_id=user.pk,
            reason=reason,
            data=ended,
        )
    return user


def user_two_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """For a lost phone: remove the authenticator and codes; she enrols again at next sign-in.

    Her sessions and API tokens end too: whoever holds the phone may hold one of them,
    and a session without its second factor would otherwise be led to enrol a new one."""
    _check_manageable(actor=actor, user=user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = user_sessions_end(user=user)
        event_record(
            action="user.2fa_reset",
            actor=actor,
            object_type="user",
            object_id=user.pk,
            reason=reason,
            data=ended,
        )


def user_password_changed(*, user: User, action: str) -> None:
    """After she changed her password (`auth.password.changed`) or chose one from a link
    (`auth.password.set`): her API tokens end with the old password. Django already ends
    her other sessions (the password is part of their hash) and keeps the current one."""
    with transaction.atomic():
        tokens, _by_model = AuthToken.objects.filter(user=user).delete()
        event_record(
            action=action,
            actor=user,
            object_type="user",
            object_id=user.pk,
            data={"api_tokens_revoked": tokens},
        )


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def agency_save(*, actor: User, agency: Agency) -> Agency:
    """Create or change an agency (system administrators only; checked by the caller)."""
    created = agency.pk is None
    with transaction.atomic():
        agency.full_clean()
        agency.save()
        event_record(
            action="agency.created" if created else "agency.updated",
            actor=actor,
            object_type="agency",
            object_id=agency.pk,
        )
    return agency


def region_save(*, actor: User, region: Region) -> Region:
    """Create or change a region (system administrators only; checked by the caller)."""
    created = region.pk is None
    with transaction.atomic():
        region.full_clean()
        region.save()
        event_record(
            action="region.created" if created else "region.updated",
            actor=actor,
            object_type="region",
            object_id=region.pk,
        )
    return region


def role_set_capabilities(*, actor: User, role: Role, capabilities: list[str]) -> Role:
    unknown = sorted(set(capabilities) - set(CAPABILITIES))
    if unknown:
        raise ValidationError({"capabilities": _("Unknown capability: %s") % ", ".join(unknown)})
    before = set(role.capabilities)
    with _administration_kept(field="capabilities", reload=[role]):
        role.capabilities = sorted(set(capabilities))
        role.save(update_fields=["capabilities"])
        event_record(
            action="role.capabilities_changed",
            actor=actor,
            object_type="role",
            object_id=role.pk,
            data={
                "added": sorted(set(capabilities) - before),
                "removed": sorted(before - set(capabilities)),
            },
        )
    return role
