from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "birge.web"
    verbose_name = _("Web layer")

    def ready(self) -> None:
        from django.urls import register_converter

        from birge.web.converters import IdConverter

        register_converter(IdConverter, "id")
