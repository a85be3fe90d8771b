from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "birge.referrals"
    verbose_name = _("Referrals and the co-operation protocol")

    def ready(self) -> None:
        from birge.referrals import protection

        protection.declare()
