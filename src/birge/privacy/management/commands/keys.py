"""`birge keys generate`, `birge keys status` and `birge keys rotate`.

Rotation, step by step: `generate --id k2`, put the line FIRST in BIRGE_ENCRYPTION_KEYS
(keep the old key after it), restart, `rotate`, check with `status` that nothing is left
under the old key, then remove the old key.

`rotate` also binds column-bound (v1) tokens, which are no longer read, to their rows
(v2); `status` counts those left ("v1.<key id>").
"""

from django.core.management.base import BaseCommand, CommandError

from birge.privacy.keys import generate_key_entry, keyring
from birge.privacy.rotation import column_bound_count, encrypted_fields, key_usage, rotate_model


class Command(BaseCommand):
    help = "Make encryption keys, count values under each key, re-encrypt under the current key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser(
            "generate", help="Print a new key line for BIRGE_ENCRYPTION_KEYS."
        )
        generate.add_argument("--id", required=True, dest="kid", help="Key id, such as k2.")
        sub.add_parser("status", help="Count the stored values under each key id.")
        rotate = sub.add_parser("rotate", help="Re-encrypt every value under the current key.")
        rotate.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, action, **options):
        if action == "generate":
            self._generate(options["kid"])
        elif action == "status":
            self._status()
        else:
            self._rotate(options["batch_size"])

    def _generate(self, kid: str) -> None:
        try:
            line = generate_key_entry(kid)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(line)

    def _status(self) -> None:
        ring = keyring()
        self.stdout.write(f"Current key: {ring.current_id}; configured: {', '.join(ring.key_ids)}.")
        column_bound = 0
        for model, fields in encrypted_fields():
            for field in fields:
                usage = key_usage(model, field, ring=ring)
                column_bound += column_bound_count(usage)
                counts = ", ".join(f"{name} {count}" for name, count in sorted(usage.items()))
                self.stdout.write(f"{model._meta.label}.{field.name}: {counts or 'no rows'}")
        self.stdout.write(
            f"Column-bound (v1) values left: {column_bound}"
            + (" (`birge keys rotate` binds them to their rows)." if column_bound else ".")
        )

    def _rotate(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ring = keyring()
        unreadable = 0
        for model, fields in encrypted_fields():
            report = rotate_model(model, fields, ring=ring, batch_size=batch_size)
            self.stdout.write(
                f"{model._meta.label}: {report.values} values in {report.rows} rows "
                f"re-encrypted under {ring.current_id}; {report.changed_meanwhile} rows "
                f"changed meanwhile (already current); {report.unreadable} unreadable."
            )
            for pk, name in report.unreadable_examples:
                self.stderr.write(f"  unreadable: {model._meta.label} pk={pk} {name}")
            unreadable += report.unreadable
        if unreadable:
            raise CommandError(
                f"{unreadable} values did not decrypt with any configured key; they were left "
                "as they are. Configure the key they were written with and run rotate again."
            )
        self.stdout.write(
            self.style.SUCCESS("Every value is under the current key, bound to its row.")
        )
