from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "birge.justice"
    verbose_name = _("Protection orders, proceedings and perpetrator programmes")

    def ready(self) -> None:
        from birge.justice import protection

        protection.declare()
