from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "birge.risk"
    verbose_name = _("Risk assessment")

    def ready(self) -> None:
        from birge.risk import protection

        protection.declare()
