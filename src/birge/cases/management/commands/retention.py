"""`birge retention`: anonymise cases closed longer than BIRGE_RETENTION_DAYS.

A job for the scheduler (daily): safe to run twice, and on two servers at once.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from birge.cases.services import cases_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise cases closed longer than BIRGE_RETENTION_DAYS (names, contacts, narratives)."

    def handle(self, *args, **options):
        count = cases_anonymise_expired()
        self.stdout.write(
            f"{count} cases anonymised (closed more than {settings.BIRGE_RETENTION_DAYS} days ago)."
        )
