from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "birge.safety"
    verbose_name = _("Safety planning")

    def ready(self) -> None:
        from birge.safety import protection

        protection.declare()
