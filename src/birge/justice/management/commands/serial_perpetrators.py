"""`birge serial_perpetrators`: flag every serial perpetrator already in the database to
his cases' coordinators (new ones are flagged as they are registered). Safe to run again:
nobody is told the same thing twice."""

from django.core.management.base import BaseCommand

from birge.justice.services.perpetrators import serial_perpetrators_flag_all


class Command(BaseCommand):
    help = "Flag the serial perpetrators already in the database to their cases' coordinators."

    def handle(self, *args, **options) -> None:
        done = serial_perpetrators_flag_all()
        self.stdout.write(
            f"{done.perpetrators} serial perpetrator(s) flagged, "
            f"{done.notifications} notification(s) raised."
        )
