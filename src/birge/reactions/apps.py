from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReactionsConfig(AppConfig):
    name = "birge.reactions"
    verbose_name = _("Reactions across apps")

    def ready(self) -> None:
        from birge.reactions import handlers  # noqa: F401 -- connects the receivers
