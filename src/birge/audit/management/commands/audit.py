"""`birge audit verify`, `birge audit seal` and `birge audit checkpoint`."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.audit.chain import chain_verify, checkpoint_verify
from birge.audit.checkpoints import CheckpointRefused, checkpoint_expectations, checkpoint_take
from birge.audit.sealing import seal_pending


class Command(BaseCommand):
    help = (
        "Verify the audit log (events, seals and their chain), seal the events appended "
        "since the last seal, or write a signed checkpoint of the head seal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="Recompute every hash and seal and hold the log to the newest checkpoint "
            "(database and BIRGE_AUDIT_CHECKPOINT_FILE); exit 1 at the first problem, when the "
            "oldest unsealed event is older than BIRGE_AUDIT_UNSEALED_MAX_AGE seconds, or "
            "(with a key) when the newest checkpoint is older than "
            "BIRGE_AUDIT_CHECKPOINT_MAX_AGE seconds.",
        )
        verify.add_argument(
            "--checkpoints",
            type=Path,
            help="Also check every line of this file of checkpoints (one JSON object a line).",
        )
        sub.add_parser("seal", help="Seal the events appended since the last seal.")
        checkpoint = sub.add_parser(
            "checkpoint",
            help="Seal what can be sealed, then sign the head seal: kept in the database, "
            "BIRGE_AUDIT_CHECKPOINT_FILE and syslog (BIRGE_AUDIT_CHECKPOINT_SYSLOG=1) when set, "
            "and printed. Refused when the head does not extend the previous checkpoint.",
        )
        checkpoint.add_argument(
            "--append-to", type=Path, help="Also append the checkpoint to this file."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify(options.get("checkpoints"))
        elif action == "seal":
            self.stdout.write(f"{seal_pending()} events sealed.")
        else:
            self._checkpoint(options.get("append_to"))

    def _key(self) -> str:
        key = settings.BIRGE_AUDIT_CHECKPOINT_KEY
        if not key:
            raise CommandError(
                "Set BIRGE_AUDIT_CHECKPOINT_KEY or BIRGE_AUDIT_CHECKPOINT_KEY_FILE "
                "to a key kept outside the database."
            )
        return key

    def _verify(self, checkpoints: Path | None) -> None:
        report = chain_verify()
        if not report.ok:
            raise CommandError(report.problem)
        if report.oldest_unsealed_id is None:
            unsealed = "0 not sealed yet"
        else:
            unsealed = (
                f"{report.unsealed} not sealed yet, the oldest (#{report.oldest_unsealed_id}) "
                f"{report.unsealed_age():.0f} s old"
            )
        summary = (
            f"{report.events} events: {report.sealed} sealed in {report.seals} seals, {unsealed}."
        )
        max_age = settings.BIRGE_AUDIT_UNSEALED_MAX_AGE
        if report.unsealed_age() > max_age:
            raise CommandError(
                f"Audit log not sealed in time: {summary} More than "
                f"BIRGE_AUDIT_UNSEALED_MAX_AGE ({max_age} s): is the audit_seal job running "
                "(`birge scheduler`, or `birge audit seal`)?"
            )
        if checkpoints:
            key = self._key()
            lines = [line for line in checkpoints.read_text().splitlines() if line.strip()]
            for number, line in enumerate(lines, start=1):
                try:
                    problem = checkpoint_verify(json.loads(line), key=key)
                except (ValueError, AttributeError):
                    problem = "the line is not a checkpoint"
                if problem:
                    raise CommandError(f"Checkpoint {number} of {checkpoints}: {problem}.")
            self.stdout.write(f"{len(lines)} checkpoints match the seals.")
        key = settings.BIRGE_AUDIT_CHECKPOINT_KEY
        expectations = checkpoint_expectations(report, key=key)
        for note in expectations.notes:
            self.stderr.write(note)
        if expectations.problems:
            raise CommandError(f"Audit log cut or rewritten: {expectations.problems[0]}.")
        if expectations.newest is not None:
            self.stdout.write(f"The log holds {expectations.newest.describe()}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit log intact: {summary} Head seal #{report.head_seal_id}, events up to "
                f"#{report.head_event_id}, {report.head_hash}."
            )
        )

    def _checkpoint(self, append_to: Path | None) -> None:
        key = self._key()
        try:
            taken = checkpoint_take(key=key, also_to=[append_to] if append_to else [])
        except CheckpointRefused as refused:
            raise CommandError(str(refused)) from refused
        except OSError as error:
            raise CommandError(
                f"No checkpoint made: {error.filename} cannot be written: {error.strerror}."
            ) from error
        for note in taken.notes:
            self.stderr.write(note)
        self.stdout.write(taken.checkpoint.line())
