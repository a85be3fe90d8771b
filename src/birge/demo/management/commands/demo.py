from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from birge.demo.data import DEMO_PASSWORD
from birge.demo.services import demo_load


class Command(BaseCommand):
    help = "Create (or bring up to date) the synthetic demo agencies and accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when BIRGE_DEMO is off (never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not (settings.BIRGE_DEMO or force):
            raise CommandError("Demo data is loaded only with BIRGE_DEMO=1.")
        users = demo_load()
        self.stdout.write("Demo accounts (synthetic data) — password for all: " + DEMO_PASSWORD)
        for user in users:
            roles = ", ".join(role.name_en for role in user.roles.all())
            self.stdout.write(f"  {user.username:<14} {roles:<22} {user.agency.name_en}")
