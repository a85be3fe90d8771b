from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "birge.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from birge.audit import protection, receivers  # noqa: F401 -- connects the receivers

        protection.declare()
