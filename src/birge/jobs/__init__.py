"""Birge's periodic jobs, by name.

Each job is a plain function `(now) -> int` that does one pass and returns how many
things it did. Every job is idempotent and safe when several servers run it at once:
it claims its rows with `SELECT … FOR UPDATE SKIP LOCKED` inside a transaction, marks
them done in that same transaction, and notifies with a dedupe key. So a scheduler may
run a job twice, two servers may run it at the same moment, and a crashed run is simply
picked up by the next one. `birge jobs run` runs one pass; `birge scheduler` runs them
on the schedule below.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from birge.jobs.conferences import conference_action_deadlines
from birge.jobs.emergency import emergency_access_expiry
from birge.jobs.referrals import referral_deadlines
from birge.jobs.retention import retention

Job = Callable[[datetime | None], int]

JOBS: dict[str, Job] = {
    "referral_deadlines": referral_deadlines,
    "conference_action_deadlines": conference_action_deadlines,
    "emergency_access_expiry": emergency_access_expiry,
    "retention": retention,
}

# How often `birge scheduler` runs each job.
SCHEDULE: dict[str, timedelta] = {
    "referral_deadlines": timedelta(minutes=1),
    "conference_action_deadlines": timedelta(minutes=1),
    "emergency_access_expiry": timedelta(minutes=1),
    "retention": timedelta(days=1),
}


def jobs_run(*, names: list[str] | None = None, now: datetime | None = None) -> dict[str, int]:
    """One pass of the named jobs (all without names), in registry order: name → count."""
    unknown = sorted(set(names or []) - set(JOBS))
    if unknown:
        raise KeyError(", ".join(unknown))
    return {name: job(now) for name, job in JOBS.items() if not names or name in names}
