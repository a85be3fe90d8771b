"""Sign-in events from Django and django-axes, recorded in the audit log.

These are the only receivers in Birge: sign-in happens inside Django's and axes' code,
so their signals are the one place to hear of it.
"""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from birge.audit.services import event_record


def _known_user(username: str | None) -> AbstractBaseUser | None:
    # A mistyped username may be a password typed in the wrong field: keep only real ones.
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    event_record(action="auth.login", actor=user, object_type="user", object_id=user.pk)


@receiver(user_logged_out)
def _logged_out(
    sender: Any, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:
        event_record(action="auth.logout", actor=user, object_type="user", object_id=user.pk)


def _record_for_username(action: str, username: str | None) -> None:
    user = _known_user(username)
    event_record(
        action=action,
        actor=user,
        object_type="user" if user else "",
        object_id=user.pk if user else "",
        data={} if user else {"unknown_username": True},
    )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    _record_for_username("auth.login.failed", credentials.get("username"))


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    _record_for_username("auth.lockout", username)
