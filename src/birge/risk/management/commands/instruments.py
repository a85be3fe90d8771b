"""`birge instruments [FILE …]`: add the shipped instruments, or the given files."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from birge.risk.services import instrument_version_add, instruments_load_shipped


class Command(BaseCommand):
    help = "Add risk instrument versions from data files (default: the shipped ones)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args, files, **options):
        try:
            if files:
                versions = [
                    instrument_version_add(actor=None, text=f.read_text(), file_name=f.name)
                    for f in files
                ]
            else:
                versions = instruments_load_shipped()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for version in versions:
            self.stdout.write(f"{version.instrument_id} v{version.version} {version.sha256[:12]}")
