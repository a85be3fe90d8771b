"""Checkpoints kept where a database administrator cannot silently take them back.

A checkpoint (`chain.checkpoint_create`) is a signed statement of the head seal. Each one
is stored in the database (`AuditCheckpoint`, append-only) and, when configured, appended
to a file on another volume (BIRGE_AUDIT_CHECKPOINT_FILE) and sent to syslog
(BIRGE_AUDIT_CHECKPOINT_SYSLOG). `checkpoint_take` refuses a head that does not extend
the previous checkpoint; `checkpoint_expectations` tells `birge audit verify` what the log
must still hold: at least as many events as the newest checkpoint counted, its head seal
unchanged, and (with a key) a checkpoint no older than BIRGE_AUDIT_CHECKPOINT_MAX_AGE.

Events sealed after the newest checkpoint are protected by the seals only: someone who can
drop the triggers can delete them together with their seals. That window is the
checkpoint interval (BIRGE_AUDIT_CHECKPOINT_INTERVAL).
"""

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from birge.audit.chain import (
    ChainReport,
    checkpoint_create,
    checkpoint_seal_problem,
    checkpoint_signed,
)
from birge.audit.models import AuditCheckpoint, AuditEvent
from birge.audit.sealing import seal_pending

# Arbitrary constant naming the advisory lock that only checkpoint writers take.
CHECKPOINT_LOCK = 0x4243504B  # "BCPK"
# Where syslog listens (a module constant so that tests can point it at their own socket).
SYSLOG_ADDRESS = "/dev/log"


class CheckpointRefused(Exception):
    """The head does not extend the previous checkpoint: the log was cut or rewritten."""


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint as read back, with where it was found."""

    seal: int | None
    event_id: int | None
    hash: str
    events: int
    created_at: str
    signature: str
    source: str

    @classmethod
    def from_dict(cls, data: Any, source: str) -> "Checkpoint":
        """Raises ValueError when `data` is not a checkpoint."""
        if not isinstance(data, dict):
            raise ValueError(source)
        try:
            checkpoint = cls(
                seal=data["seal"],
                event_id=data["event_id"],
                hash=data["hash"],
                events=data["events"],
                created_at=data["created_at"],
                signature=data["signature"],
                source=source,
            )
        except (KeyError, TypeError) as error:
            raise ValueError(source) from error
        ids_ok = all(
            value is None or (isinstance(value, int) and not isinstance(value, bool))
            for value in (checkpoint.seal, checkpoint.event_id)
        )
        texts_ok = all(
            isinstance(value, str)
            for value in (checkpoint.hash, checkpoint.created_at, checkpoint.signature)
        )
        if not (ids_ok and texts_ok and type(checkpoint.events) is int):
            raise ValueError(source)
        checkpoint.moment()
        return checkpoint

    def as_dict(self) -> dict[str, Any]:
        return {
            "seal": self.seal,
            "event_id": self.event_id,
            "hash": self.hash,
            "events": self.events,
            "created_at": self.created_at,
            "signature": self.signature,
        }

    def line(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True)

    def moment(self) -> datetime:
        moment = datetime.fromisoformat(self.created_at)
        if moment.tzinfo is None:
            raise ValueError(self.source)
        return moment

    def signed(self, key: str) -> bool:
        return checkpoint_signed(self.as_dict(), key=key)

    def describe(self) -> str:
        head = f"seal #{self.seal}, events up to #{self.event_id}" if self.seal else "no seal"
        return f"the checkpoint of {self.created_at} ({self.source}: {self.events} events, {head})"


@dataclass
class CheckpointsFound:
    """Every checkpoint found in the database and the configured file, and what was wrong
    with reading them."""

    database: list[Checkpoint] = field(default_factory=list)
    file: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _from_row(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(
        seal=row.seal_id,
        event_id=row.event_id,
        hash=row.chain_hash,
        events=row.events,
        created_at=row.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        signature=row.signature,
        source=f"database, checkpoint #{row.pk}",
    )


def checkpoints_in_file(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in a file of one JSON object a line, and the lines that are not."""
    found: list[Checkpoint] = []
    problems: list[str] = []
    with path.open() as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            source = f"{path}, line {number}"
            try:
                found.append(Checkpoint.from_dict(json.loads(line), source))
            except ValueError:
                problems.append(f"{source} is not a checkpoint")
    return found, problems


def checkpoints_find() -> CheckpointsFound:
    """The checkpoints in the database and in BIRGE_AUDIT_CHECKPOINT_FILE (when set)."""
    found = CheckpointsFound(
        database=[_from_row(row) for row in AuditCheckpoint.objects.order_by("id")]
    )
    if settings.BIRGE_AUDIT_CHECKPOINT_FILE:
        path = Path(settings.BIRGE_AUDIT_CHECKPOINT_FILE)
        try:
            found.file, found.problems = checkpoints_in_file(path)
        except FileNotFoundError:
            message = f"the checkpoint file {path} (BIRGE_AUDIT_CHECKPOINT_FILE) does not exist"
            # Before the first checkpoint there is no file yet; after it, a missing file
            # is a lost record.
            (found.problems if found.database else found.notes).append(message)
        except OSError as error:
            found.problems.append(f"the checkpoint file {path} cannot be read: {error.strerror}")
    return found


def _strictest(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    """The checkpoint that asks the most of the log. Genuine checkpoints only ever extend
    each other, so with signatures checked this is also the newest."""
    if not checkpoints:
        return None
    return max(checkpoints, key=lambda c: (c.events, c.seal or 0, c.moment()))


def _genuine(found: CheckpointsFound, key: str) -> list[Checkpoint]:
    return [c for c in found.database + found.file if c.signed(key)]


def _strictest_genuine(found: CheckpointsFound, key: str) -> Checkpoint | None:
    """`_strictest` of the genuine ones, checking signatures from the strictest down only
    as far as needed."""
    candidates = sorted(
        found.database + found.file, key=lambda c: (c.events, c.seal or 0, c.moment())
    )
    return next((c for c in reversed(candidates) if c.signed(key)), None)


@dataclass(frozen=True)
class Taken:
    checkpoint: Checkpoint
    notes: list[str]


def _append(path: Path, line: str) -> None:
    """Append one line and make sure it is on disk before the checkpoint counts as made."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _syslog(line: str) -> str:
    """Send the line to syslog; never fails, says what happened."""
    if not os.path.exists(SYSLOG_ADDRESS):
        return f"syslog: {SYSLOG_ADDRESS} does not exist; the checkpoint was not sent to syslog."
    failures: list[str] = []
    try:
        handler = logging.handlers.SysLogHandler(
            address=SYSLOG_ADDRESS, facility=logging.handlers.SysLogHandler.LOG_AUTH
        )
    except OSError as error:
        return f"syslog: {SYSLOG_ADDRESS}: {error.strerror}; the checkpoint was not sent to syslog."
    handler.ident = "birge-audit-checkpoint: "
    handler.handleError = lambda record: failures.append("send failed")  # type: ignore[method-assign]
    try:
        handler.emit(logging.LogRecord("birge.audit", logging.INFO, __file__, 0, line, None, None))
    finally:
        handler.close()
    if failures:
        return "syslog: sending failed; the checkpoint was not sent to syslog."
    return "syslog: sent."


def _refusal(previous: Checkpoint | None, current: dict[str, Any]) -> str:
    """Why the head in `current` does not extend `previous`; empty when it does."""
    if previous is None:
        return ""
    if current["events"] < previous.events:
        return (
            f"the log has {current['events']} events sealed, fewer than "
            f"{previous.describe()}: events or seals were deleted"
        )
    if previous.seal is not None and (current["seal"] or 0) < previous.seal:
        return (
            f"the head seal is #{current['seal']}, before seal #{previous.seal} of "
            f"{previous.describe()}: seals were deleted"
        )
    problem = checkpoint_seal_problem(previous.as_dict())
    if problem:
        return f"{previous.describe()} no longer holds: {problem}"
    if current["event_id"] is not None:
        present = AuditEvent.objects.filter(id__lte=current["event_id"]).count()
        if present != current["events"]:
            return (
                f"the seals count {current['events']} events up to #{current['event_id']} but "
                f"the log holds {present}: events were deleted or inserted"
            )
    return ""


def checkpoint_take(*, key: str, also_to: list[Path] | None = None) -> Taken:
    """Seal what can be sealed, then sign the head seal and keep the checkpoint in the
    database, the configured file (and `also_to`), and syslog when configured. Raises
    CheckpointRefused when the head does not extend the previous checkpoint (the newest
    genuine one in the database or the file); OSError when a file cannot be written (then
    nothing is kept)."""
    seal_pending()
    paths = (
        [Path(settings.BIRGE_AUDIT_CHECKPOINT_FILE)] if settings.BIRGE_AUDIT_CHECKPOINT_FILE else []
    )
    for path in also_to or []:
        if all(path.resolve() != known.resolve() for known in paths):
            paths.append(path)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Two checkpoint writers (the scheduler and a timer) take turns.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK])
        found = checkpoints_find()
        if found.database and paths and not paths[0].exists():
            # Starting the file afresh would hide that the earlier checkpoints are gone.
            raise CheckpointRefused(
                f"Checkpoint refused: the checkpoint file {paths[0]} "
                "(BIRGE_AUDIT_CHECKPOINT_FILE) does not exist, but the database holds "
                "checkpoints: was it removed, or is its volume not mounted? To start a new "
                "file on purpose, create it empty."
            )
        previous = _strictest_genuine(found, key)
        current = checkpoint_create(key=key)
        refusal = _refusal(previous, current)
        if refusal:
            raise CheckpointRefused(f"Checkpoint refused: {refusal}.")
        checkpoint = Checkpoint.from_dict(current, "database")
        row = AuditCheckpoint.objects.create(
            seal_id=checkpoint.seal,
            event_id=checkpoint.event_id,
            chain_hash=checkpoint.hash,
            events=checkpoint.events,
            created_at=checkpoint.moment(),
            signature=checkpoint.signature,
        )
        # Before the commit: if a file cannot be written, the database keeps nothing
        # either; the seals it names are already committed (seal_pending above).
        for path in paths:
            _append(path, checkpoint.line())
    notes = [f"kept in the database as checkpoint #{row.pk}"]
    notes += [f"appended to {path}" for path in paths]
    if settings.BIRGE_AUDIT_CHECKPOINT_SYSLOG:
        notes.append(_syslog(checkpoint.line()))
    return Taken(checkpoint=checkpoint, notes=notes)


@dataclass(frozen=True)
class Expectations:
    """What `birge audit verify` found about the checkpoints: problems make it fail."""

    newest: Checkpoint | None
    problems: list[str]
    notes: list[str]


def checkpoint_expectations(
    report: ChainReport, *, key: str, now: datetime | None = None
) -> Expectations:
    """Hold the log (`report`, from `chain_verify`) to the checkpoints in the database and
    the configured file: the strictest one must still hold (as many events, its head seal
    unchanged); with a key, every checkpoint must be signed with it and the newest be no
    older than BIRGE_AUDIT_CHECKPOINT_MAX_AGE; and a database that holds checkpoints of a
    non-empty log must not have an empty event table."""
    found = checkpoints_find()
    problems = list(found.problems)
    notes = list(found.notes)
    if key:
        forged = [c for c in found.database + found.file if not c.signed(key)]
        problems += [f"{c.source}: the checkpoint's signature is not valid" for c in forged[:1]]
        trusted = _genuine(found, key)
    else:
        notes.append(
            "BIRGE_AUDIT_CHECKPOINT_KEY is not set: checkpoint signatures were not checked, "
            "and the log is held to the strictest checkpoint found."
        )
        trusted = found.database + found.file
    cut = max((c.events for c in found.database), default=0)
    if cut and report.events == 0:
        problems.append(
            f"the audit event table is empty, but the database holds checkpoints of up to {cut} "
            "events: the table was emptied"
        )
    expected = _strictest(trusted)
    if expected is not None:
        if report.events < expected.events:
            problems.append(
                f"the log holds {report.events} events, fewer than {expected.describe()}: "
                "events were deleted"
            )
        problem = checkpoint_seal_problem(expected.as_dict())
        if problem:
            problems.append(f"{expected.describe()}: {problem}")
    newest = max(trusted, key=lambda c: c.moment()) if trusted else None
    if key:
        max_age = settings.BIRGE_AUDIT_CHECKPOINT_MAX_AGE
        if newest is None:
            problems.append(
                "no checkpoint has been made: is the audit_checkpoint job running "
                "(`birge scheduler`, or `birge audit checkpoint`)?"
            )
        elif ((now or timezone.now()) - newest.moment()).total_seconds() > max_age:
            problems.append(
                f"the newest checkpoint is of {newest.created_at}, older than "
                f"BIRGE_AUDIT_CHECKPOINT_MAX_AGE ({max_age} s): is the audit_checkpoint job "
                "running (`birge scheduler`, or `birge audit checkpoint`)?"
            )
    return Expectations(newest=newest, problems=problems, notes=notes)
