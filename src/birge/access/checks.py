"""Start-up checks of the access kernel."""

from typing import Any

from django.core import checks

from birge.access.registry import ROLES, models


@checks.register()
def every_role_is_provided(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"No app provides the {role!r} model to birge.access ({ROLES[role]}).",
            hint="Provide it in the defining app's AppConfig.ready (its protection.py).",
            id="access.E001",
        )
        for role in models.missing()
    ]
