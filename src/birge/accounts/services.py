"""Two-factor authentication: enrolment, verification, recovery codes."""

import secrets

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from birge.audit.services import event_record

RECOVERY_DEVICE_NAME = "recovery"


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator a person is enrolling; created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def _new_recovery_code() -> str:
    # 10 characters from a 31-letter alphabet without look-alikes: about 49 bits each.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def recovery_codes_generate(*, user) -> list[str]:
    """Replace the person's recovery codes; each works once and is shown only once.

    django-otp keeps static tokens as they are: they are as secret as the database.
    """
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        codes = [_new_recovery_code() for _ in range(settings.BIRGE_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        event_record(
            action="auth.2fa.recovery_codes_generated",
            actor=user,
            object_type="user",
            object_id=user.pk,
        )
    return codes


def totp_enrol_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None.

    On success the session counts as verified: the person has just proved the second factor.
    """
    user = request.user
    if device.user_id != user.pk or not device.verify_token(token):
        event_record(
            action="auth.2fa.enrol_failed", actor=user, object_type="user", object_id=user.pk
        )
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        event_record(action="auth.2fa.enrolled", actor=user, object_type="user", object_id=user.pk)
        codes = recovery_codes_generate(user=user)
    django_otp.login(request, device)
    return codes


def two_factor_verify(*, request, user, token: str):
    """Check a code from the authenticator or a recovery code; mark the session verified."""
    token = "".join(token.split()).lower()
    device = django_otp.match_token(user, token)
    if device is None:
        event_record(action="auth.2fa.failed", actor=user, object_type="user", object_id=user.pk)
        return None
    django_otp.login(request, device)
    action = (
        "auth.2fa.recovery_code_used" if isinstance(device, StaticDevice) else "auth.2fa.verified"
    )
    event_record(action=action, actor=user, object_type="user", object_id=user.pk)
    return device


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def two_factor_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
