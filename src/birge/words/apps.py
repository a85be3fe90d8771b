from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordsConfig(AppConfig):
    name = "birge.words"
    verbose_name = _("Language guidance")

    def ready(self) -> None:
        from birge.words import checks  # noqa: F401 -- registers the rules file's check
