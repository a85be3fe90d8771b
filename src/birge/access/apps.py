from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "birge.access"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from birge.access import checks  # noqa: F401 -- registers the start-up checks
        from birge.access.predicates import grants_changed

        post_save.connect(grants_changed, dispatch_uid="birge.access.grants.saved")
        post_delete.connect(grants_changed, dispatch_uid="birge.access.grants.deleted")
        m2m_changed.connect(grants_changed, dispatch_uid="birge.access.grants.linked")
