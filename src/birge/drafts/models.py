"""What a person has typed into a long form and not yet saved: kept per person and per
form page, so that a session that ends (idle limit, a lost connection) loses nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.privacy.fields import EncryptedTextField


class FormDraft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The form page's address (path and query, which name the case and the form and never
    # carry what was typed): the same form of another case is another draft.
    form = models.CharField(_("form"), max_length=400)
    # The fields as posted (JSON: name → list of values), encrypted at rest.
    fields = EncryptedTextField(_("answers"))
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "form"], name="drafts_one_per_user_and_form")
        ]
        indexes = [models.Index(fields=["saved_at"], name="drafts_saved_at")]

    def __str__(self) -> str:
        return f"draft #{self.pk}"
