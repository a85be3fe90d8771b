"""`birge jobs run [NAME …]`: one pass of Birge's periodic jobs (all, or those named).

Safe to run twice and from several servers at once; cron may run it every minute.
"""

from django.core.management.base import BaseCommand, CommandError

from birge.jobs.registry import JOBS, jobs_run


class Command(BaseCommand):
    # Run by cron every minute: Django's system checks (run by migrate and
    # `birge check --deploy` when the release is installed) would cost each pass most of a
    # second of CPU.
    requires_system_checks: list[str] = []
    help = "Run one pass of Birge's periodic jobs: " + ", ".join(JOBS) + "."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="Run one pass of all jobs, or of those named.")
        run.add_argument("names", nargs="*", metavar="NAME", help=", ".join(JOBS))
        actions.add_parser("list", help="List the jobs.")

    def handle(self, *args, action: str, names: list[str] | None = None, **options):
        if action == "list":
            for name in JOBS:
                self.stdout.write(name)
            return
        unknown = sorted(set(names or []) - set(JOBS))
        if unknown:
            raise CommandError(f"No such job: {', '.join(unknown)}. Jobs: {', '.join(JOBS)}.")
        for name, count in jobs_run(names=names).items():
            self.stdout.write(f"{name}: {count}")
