from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "birge.conferences"
    verbose_name = _("Multi-agency risk conferences")

    def ready(self) -> None:
        from birge.conferences import protection

        protection.declare()
