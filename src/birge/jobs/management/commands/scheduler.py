"""`birge scheduler`: run Birge's periodic jobs on their schedule, in the foreground.

Most jobs run every minute, the audit sealer every 5 seconds, audit checkpoints every
BIRGE_AUDIT_CHECKPOINT_INTERVAL seconds, retention daily (birge.jobs.registry.SCHEDULE),
and each once at start.
Run it as a service on one server or on several: the jobs are safe to run concurrently.
Logs counts only, never personal data. Stops cleanly on SIGTERM or SIGINT, after the
jobs that are running have finished.
"""

import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone

from birge.jobs.registry import JOBS, SCHEDULE

logger = logging.getLogger("birge.jobs")


def job_run_logged(name: str) -> None:
    """One run of one job, in a scheduler thread, with its own database connection
    handling: stale connections closed before, this thread's connections closed after."""
    close_old_connections()
    try:
        count = JOBS[name](timezone.now())
    except Exception as error:
        # The error's class only: its text may quote the data it failed on.
        logger.error("job %s failed: %s", name, type(error).__name__)
    else:
        logger.info("job %s: %d", name, count)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Run Birge's periodic jobs on their schedule (most every minute, the audit sealer "
        "every 5 seconds, retention daily)."
    )

    def handle(self, *args, **options):
        # Birge's own lines say what each run did; APScheduler's would repeat every minute.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        scheduler = BlockingScheduler(timezone=timezone.get_default_timezone())
        now = timezone.now()
        for name in JOBS:
            scheduler.add_job(
                job_run_logged,
                "interval",
                seconds=int(SCHEDULE[name].total_seconds()),
                args=[name],
                id=name,
                name=name,
                next_run_time=now,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )

        def stop(signum, frame):
            logger.info("scheduler stopping (signal %d)", signum)
            if scheduler.running:
                scheduler.shutdown(wait=True)

        # SIGINT stays ignored when the shell started us in the background (`make demo`).
        signals = [signal.SIGTERM]
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signals.append(signal.SIGINT)
        previous = {signum: signal.signal(signum, stop) for signum in signals}
        logger.info("scheduler started: %s", ", ".join(JOBS))
        try:
            scheduler.start()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("scheduler stopped")
