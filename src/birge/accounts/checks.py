"""Deployment checks of sign-in (`birge check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def two_factor_is_required(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Outside the demo, nobody signs in without her second factor: turning it off is an
    error of the deployment, not a preference."""
    if settings.BIRGE_REQUIRE_2FA or settings.BIRGE_DEMO:
        return []
    return [
        checks.Error(
            "Two-factor authentication is off (BIRGE_REQUIRE_2FA) outside the demo.",
            hint="Remove BIRGE_REQUIRE_2FA from the environment, or set it to 1.",
            id="accounts.E001",
        )
    ]
