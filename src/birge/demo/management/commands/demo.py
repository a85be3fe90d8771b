import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from birge.demo.conferences import conferences_load
from birge.demo.data import DEMO_PASSWORD
from birge.demo.orders import orders_load
from birge.demo.proceedings import proceedings_load
from birge.demo.services import demo_load
from birge.demo.synthetic import DEFAULT_BATCH, DEFAULT_SEED, cases_generate
from birge.demo.training import training_load
from birge.demo.work import work_load
from birge.reports.facts import facts_refresh


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the synthetic demo agencies and accounts; with "
        "--cases N, also top the database up to N synthetic cases."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when BIRGE_DEMO is off (never in production).",
        )
        parser.add_argument(
            "--cases",
            type=int,
            metavar="N",
            help=(
                "Top up to N cases in total: cases already in the database count, so "
                "running it again with the same N adds nothing, and a larger N adds the "
                "difference (an interrupted run is completed by running it again). "
                "Synthetic people only; names, dates of birth, phones, addresses and "
                "narratives are encrypted like real ones."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=(
                f"Random seed (default {DEFAULT_SEED}): the same seed on the same starting "
                "database on the same day gives the same cases."
            ),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that build cases on PostgreSQL (default: one per core, at most 2).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"Cases per batch and transaction (default {DEFAULT_BATCH}).",
        )

    def handle(self, *args, force=False, cases=None, seed=DEFAULT_SEED, **options):
        if not (settings.BIRGE_DEMO or force):
            raise CommandError("Demo data is loaded only with BIRGE_DEMO=1.")
        if cases is not None and cases < 0:
            raise CommandError("--cases must be 0 or more.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        users = demo_load()
        self.stdout.write("Demo accounts (synthetic data) — password for all: " + DEMO_PASSWORD)
        rows = [
            (
                user.username,
                ", ".join(role.name_en for role in user.roles.all()),
                user.agency.name_en,
            )
            for user in users
        ]
        # Columns as wide as their longest entry, two spaces apart (the README's table).
        widths = [max(len(row[i]) for row in rows) for i in range(2)] if rows else [0, 0]
        for username, roles, agency in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {roles:<{widths[1]}}  {agency}")
        if cases is None:
            self._conferences(seed)
            self._work()
            return
        with tqdm(
            unit=" cases",
            unit_scale=True,
            desc="Synthetic cases",
            file=sys.stderr,
            disable=options["verbosity"] < 1,
        ) as bar:

            def advance(done: int, count: int) -> None:
                if bar.total != count:
                    bar.reset(total=count)
                bar.update(done)

            result = cases_generate(
                total=cases,
                seed=seed,
                batch_size=options["batch_size"],
                workers=options["workers"],
                progress=advance,
            )
        if result.created:
            rate = result.created / result.seconds if result.seconds else 0
            self.stdout.write(
                f"Added {result.created} synthetic cases ({result.total} in all) in "
                f"{result.seconds:.1f} s, {rate:,.0f} cases/s."
            )
            if options["verbosity"] >= 2:
                mode = "one bulk transaction" if result.bulk else "a transaction per batch"
                self.stdout.write(f"  {result.workers} worker processes, {mode}")
                for phase, seconds in result.phases.items():
                    self.stdout.write(f"  {phase:<24} {seconds:7.1f} s")
        else:
            self.stdout.write(f"Already {result.total} cases; none added.")
        from birge.risk.synthetic import assessments_generate

        assessed = assessments_generate(answered=True)
        if assessed.assessments:
            self.stdout.write(
                f"Added {assessed.assessments} synthetic risk assessments and "
                f"{assessed.incidents} later incidents (for the validation report)."
            )
        self._conferences(seed)
        self._work()
        self.stdout.write(f"Statistics counted for {facts_refresh()} cases.")

    def _work(self) -> None:
        for what in work_load():
            self.stdout.write(f"Waiting on a home page: {what}.")
        for what in proceedings_load():
            self.stdout.write(f"Justice: {what}.")
        self.stdout.write(training_load())
        for what in orders_load():
            self.stdout.write(f"Added {what}.")

    def _conferences(self, seed: int) -> None:
        for series in conferences_load(seed=seed):
            self.stdout.write(f"{series.name}: {series.queued} cases in the queue.")
            if series.last_meeting:
                self.stdout.write(
                    f"  Last meeting {series.last_meeting}: {series.heard} cases heard, "
                    f"{series.overdue} action(s) overdue (the scheduler escalates them)."
                )
            if series.next_meeting:
                self.stdout.write(
                    f"  Next meeting {series.next_meeting}: sign in as `chair` to build "
                    "its agenda from the queue."
                )
