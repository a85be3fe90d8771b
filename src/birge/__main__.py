"""The `birge` command: Django's management commands with Birge's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")
    # Commands and jobs may hold a statement longer than a page (settings.py's
    # BIRGE_DB_COMMAND_STATEMENT_TIMEOUT); the development server serves pages.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("BIRGE_DB_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
