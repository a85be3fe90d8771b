"""`birge demo_serial_perpetrator` (BIRGE_DEMO=1, after `birge demo`): the demo's serial
perpetrator, one man in a case of the Baku police (`officer`) and in one of the Ganja
police (`outsider`); each agency sees only its own case on his page, and both cases'
coordinators are told he is known elsewhere with another victim. Kept apart from
`birge demo`, which adds no case unless asked for a number of them. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from birge.demo.perpetrators import serial_perpetrator_load


class Command(BaseCommand):
    help = "Register the demo's serial perpetrator in two cases of two agencies."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Load even without BIRGE_DEMO.")

    def handle(self, *args, force=False, **options) -> None:
        if not (settings.BIRGE_DEMO or force):
            raise CommandError("Demo data is loaded only with BIRGE_DEMO=1.")
        if serial_perpetrator_load():
            self.stdout.write("Registered the demo's serial perpetrator in two cases.")
        else:
            self.stdout.write("The demo's serial perpetrator is there already.")
