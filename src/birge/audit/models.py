"""The audit log: append-only events, each with its own hash, sealed in chained batches.
Never personal data itself."""

from collections.abc import Iterable
from datetime import UTC
from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from birge.audit.hashing import GENESIS_HASH, data_canonical, event_hash
from birge.privacy.fields import EncryptedTextField

_M = TypeVar("_M", bound=models.Model)

__all__ = [
    "GENESIS_HASH",
    "AppendOnlyError",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditSeal",
    "EventReason",
]


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """A queryset that refuses to change or delete rows (`noun` names them in the error)."""

    noun = "Audit rows"

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.noun} cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.noun} cannot be deleted.")

    # What Django's deletion collector calls (with the database alias) to delete rows
    # without loading them.
    def _raw_delete(self, using: str | None) -> NoReturn:
        raise AppendOnlyError(f"{self.noun} cannot be deleted.")

    def bulk_update(
        self, objs: Iterable[_M], fields: Iterable[str], batch_size: int | None = None
    ) -> NoReturn:
        raise AppendOnlyError(f"{self.noun} cannot be updated.")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises."""

    noun = "Audit rows"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(f"{self.noun} cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.noun} cannot be deleted.")


class AuditEventQuerySet(AppendOnlyQuerySet["AuditEvent"]):
    noun = "Audit events"


class AuditEvent(AppendOnlyModel):
    noun = "Audit events"

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
    # Only in events written while the log was a single hash chain; empty since.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    # SHA-256 of the event's own content (`compute_hash`), written with it.
    hash = models.CharField(max_length=64)

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

    def content(self) -> dict:
        """What the hash covers: every field but the id and the hash itself (`prev_hash`
        only in the events that have one)."""
        content = {
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
        }
        if self.prev_hash:
            content["prev_hash"] = self.prev_hash
        return content

    def compute_hash(self) -> str:
        """SHA-256 of `json.dumps(self.content(), sort_keys=True, separators=(",", ":"))`,
        built by `birge.audit.hashing.event_hash` (the code `birge audit verify` uses)."""
        return event_hash(
            self.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            self.actor_id,
            self.actor_label,
            self.agency_id,
            self.action,
            self.object_type,
            self.object_id,
            self.reason,
            self.ip,
            self.request_id,
            data_canonical(self.data),
            self.prev_hash,
        )


class AuditSealQuerySet(AppendOnlyQuerySet["AuditSeal"]):
    noun = "Audit seals"


class AuditSeal(AppendOnlyModel):
    """A batch of events, sealed: the events with ids first_id..last_id (gaps are ids the
    database handed out to transactions that rolled back), how many there are, the digest
    of their ids and hashes, and the chain hash linking this seal to the one before it.
    Written only by the sealer (`birge.audit.sealing`); append-only like the events."""

    noun = "Audit seals"

    first_id = models.BigIntegerField(_("first event"), unique=True)
    last_id = models.BigIntegerField(_("last event"), unique=True)
    count = models.PositiveIntegerField(_("events"))
    digest = models.CharField(_("digest"), max_length=64)
    chain_hash = models.CharField(_("chain hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at (UTC)"))

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        base_manager_name = "objects"
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_id__gte=models.F("first_id")),
                name="audit_seal_range_not_empty",
            )
        ]

    def __str__(self) -> str:
        return f"seal #{self.pk} (#{self.first_id}-#{self.last_id})"


class EventReason(models.Model):
    """The reason a person wrote for an audited action, kept apart from the append-only
    log: it is free text, so it may name people. Encrypted at rest, and erased when the
    case it concerns is anonymised (birge.privacy.retention); the event keeps a pointer to
    it (`data["reason"]`), covered by the event's hash."""

    # The case the reason concerns (an id, not a foreign key: the log sits below the cases).
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    text = EncryptedTextField(_("reason"))
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reason of an audited action")
        verbose_name_plural = _("reasons of audited actions")

    def __str__(self) -> str:
        return f"reason {self.pk}"


class AuditCheckpointQuerySet(AppendOnlyQuerySet["AuditCheckpoint"]):
    noun = "Audit checkpoints"


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement of the head seal when it was made: the seal's id, its last event,
    its chain hash and how many events are sealed up to it, signed (HMAC-SHA256) with
    BIRGE_AUDIT_CHECKPOINT_KEY, which is not in the database. Written only by
    `birge.audit.checkpoints.checkpoint_take`, each extending the one before; append-only
    like the events and seals. The same line may also be kept outside the database
    (BIRGE_AUDIT_CHECKPOINT_FILE, syslog)."""

    noun = "Audit checkpoints"

    # Not foreign keys: a checkpoint must outlive a deleted seal to tell of it.
    seal_id = models.BigIntegerField(_("head seal"), null=True, blank=True)
    event_id = models.BigIntegerField(_("last event"), null=True, blank=True)
    chain_hash = models.CharField(_("chain hash"), max_length=64)
    events = models.PositiveBigIntegerField(_("events"))
    # To the second, as signed.
    created_at = models.DateTimeField(_("made at (UTC)"), db_index=True)
    signature = models.CharField(_("signature"), max_length=64)

    objects = AuditCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        base_manager_name = "objects"
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} (seal #{self.seal_id})"
