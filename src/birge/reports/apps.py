from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "birge.reports"
    verbose_name = _("National statistics")

    def ready(self) -> None:
        from birge.reports import protection

        protection.declare()
