from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "birge.jobs"
    verbose_name = _("Periodic jobs")

    def ready(self):
        from birge.jobs import protection

        protection.declare()
