"""How often the guidance flagged each kind of phrase, per month, in texts that were saved.

Deliberately no author, case, agency or region: a count says what people write, never who
wrote it, so it is about no person and retention has nothing of a case to forget here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhraseCount(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rule = models.CharField(_("rule"), max_length=40)
    rules_version = models.CharField(_("rules version"), max_length=20)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("count of flagged phrases")
        verbose_name_plural = _("counts of flagged phrases")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "rule", "rules_version"], name="words_count_one_per_month_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.rule} {self.rules_version}: {self.count}"
