from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "birge.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.core import checks

        from birge.audit import protection, receivers  # noqa: F401 -- connects the receivers
        from birge.audit.checks import checkpoint_key_is_set

        protection.declare()
        checks.register(checkpoint_key_is_set, checks.Tags.security, deploy=True)
