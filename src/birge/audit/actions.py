"""Human text for every audit action code, in one place."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "auth.login": _("Signed in with password"),
    "auth.login.failed": _("Sign-in failed"),
    "auth.lockout": _("Sign-in paused after repeated failures"),
    "auth.logout": _("Signed out"),
    "auth.session.expired": _("Session expired"),
    "auth.2fa.verified": _("Two-factor check passed"),
    "auth.2fa.failed": _("Two-factor check failed"),
    "auth.2fa.enrolled": _("Two-factor authentication set up"),
    "auth.2fa.enrol_failed": _("Two-factor set-up code rejected"),
    "auth.2fa.recovery_code_used": _("Signed in with a recovery code"),
    "auth.2fa.recovery_codes_generated": _("New recovery codes made"),
    "auth.password.changed": _("Password changed"),
    "auth.password.set": _("Password set from a link"),
    "api.token.created": _("API token issued"),
    "api.token.failed": _("API token refused"),
    "api.token.revoked": _("API token revoked"),
    "user.created": _("User created"),
    "user.updated": _("User details changed"),
    "user.roles_changed": _("User's roles changed"),
    "user.deactivated": _("User deactivated"),
    "user.reactivated": _("User reactivated"),
    "user.2fa_reset": _("User's two-factor authentication reset"),
    "user.invited": _("Invitation link sent"),
    "agency.created": _("Agency created"),
    "agency.updated": _("Agency changed"),
    "region.created": _("Region created"),
    "region.updated": _("Region changed"),
    "role.capabilities_changed": _("Role's capabilities changed"),
    "audit.log.viewed": _("Audit log viewed"),
    "demo.loaded": _("Demo data loaded"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
