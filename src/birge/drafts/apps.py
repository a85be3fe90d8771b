from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "birge.drafts"
    verbose_name = _("Unsaved answers")
