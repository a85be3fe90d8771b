"""The audit log: append-only, hash-chained events. Never personal data itself."""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.privacy.fields import EncryptedTextField

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    _raw_delete = delete

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be updated.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The username as typed, for events without a known actor (a failed sign-in).
    actor_label = models.CharField(_("actor as given"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # Empty since reasons are kept apart (EventReason, `data["reason"]` points at it); events
    # written before then keep theirs here.
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # Non-personal details: codes, field names, role codes. Strings and integers only.
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # Related lookups and Django internals use the append-only manager too.
        base_manager_name = "objects"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # Counting one user's recent reads (alerts on unusual reading).
            models.Index(fields=["actor", "action", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def content(self) -> dict:
        """What the hash covers: every field but the id and the hash itself."""
        return {
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "agency": self.agency_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "reason": self.reason,
            "ip": self.ip,
            "request_id": self.request_id,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class EventReason(models.Model):
    """The reason a person wrote for an audited action, kept apart from the append-only
    log: it is free text, so it may name people. Encrypted at rest, and erased when the
    case it concerns is anonymised (birge.privacy.retention); the event keeps a pointer to
    it (`data["reason"]`), covered by the hash chain."""

    # The case the reason concerns (an id, not a foreign key: the log sits below the cases).
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    text = EncryptedTextField(_("reason"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reason of an audited action")
        verbose_name_plural = _("reasons of audited actions")

    def __str__(self) -> str:
        return f"reason {self.pk}"
