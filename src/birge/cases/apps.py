from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "birge.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from birge.cases import protection

        protection.declare()
