from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "birge.accounts"
    verbose_name = _("Sign-in and two-factor authentication")

    def ready(self) -> None:
        from birge.accounts import checks  # noqa: F401 -- registers the deployment checks
