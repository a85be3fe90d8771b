"""`birge audit verify` and `birge audit checkpoint`."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.audit.chain import chain_verify, checkpoint_create, checkpoint_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or write a signed checkpoint of its head."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Recompute the chain; exit 1 at the first bad event."
        )
        verify.add_argument(
            "--checkpoints",
            type=Path,
            help="A file of checkpoints (one JSON object a line) kept outside the database.",
        )
        checkpoint = sub.add_parser("checkpoint", help="Print a signed checkpoint of the head.")
        checkpoint.add_argument(
            "--append-to", type=Path, help="Also append the checkpoint to this file."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify(options.get("checkpoints"))
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
            raise CommandError(
                f"Audit chain broken at event #{report.first_bad_id}: {report.problem}. "
                f"{report.checked} events before it are intact."
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
            self.stdout.write(f"{len(lines)} checkpoints match the chain.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events, head #{report.head_id} "
                f"{report.head_hash}."
            )
        )

    def _checkpoint(self, append_to: Path | None) -> None:
        line = json.dumps(checkpoint_create(key=self._key()), sort_keys=True)
        if append_to:
            with append_to.open("a") as file:
                file.write(line + "\n")
        self.stdout.write(line)
