from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "birge.access"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        from birge.access import checks  # noqa: F401 -- registers the start-up checks
