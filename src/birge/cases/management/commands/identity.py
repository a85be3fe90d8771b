"""`birge identity rebuild`: recompute every blind index of persons and declared relations.

The indexes are derived from the decrypted names with the rules of
`birge.privacy.blind_index`. Run this after a change to those rules (a release that
changes them also ships a data migration that runs it), or after restoring people's data
from elsewhere. Safe to interrupt and to run again while Birge is in use.
"""

from django.core.management.base import BaseCommand, CommandError

from birge.cases.identity import identity_indexes_rebuild


class Command(BaseCommand):
    help = "Identity matching's blind indexes: rebuild them from the decrypted names."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser(
            "rebuild", help="Recompute every person's indexes and every declared relation."
        )
        rebuild.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, action, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        done = identity_indexes_rebuild(batch_size=batch_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.persons} persons indexed again; "
                f"{done.declarations} declared relations changed."
            )
        )
