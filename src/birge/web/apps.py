from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "birge.web"
    verbose_name = _("Web layer")

    def ready(self) -> None:
        from django.core import checks
        from django.urls import register_converter

        from birge.web.converters import IdConverter
        from birge.web.dbrole import check_database_role
        from birge.web.pdf import check_fonts

        register_converter(IdConverter, "id")
        checks.register(check_fonts)
        checks.register(check_database_role, deploy=True)
