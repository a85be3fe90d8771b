"""The periodic jobs, pass after pass, in one long-lived process, as `birge scheduler` runs
them in production (not one new process per pass, whose start-up alone would cost the
machine two seconds of CPU each time).

Started by bench/load.py beside the mixed load; runs `jobs_run()` (every job, in registry
order) back to back until SIGTERM, then prints one line of JSON: the number of passes
and their median and longest seconds.
"""

import json
import signal
import statistics
import sys
import time

import django

django.setup()

from birge.jobs.registry import jobs_run  # noqa: E402 - after django.setup()

stop = {"now": False}


def _stop(_signum, _frame) -> None:
    stop["now"] = True


signal.signal(signal.SIGTERM, _stop)
seconds: list[float] = []
while not stop["now"]:
    began = time.perf_counter()
    jobs_run()
    seconds.append(round(time.perf_counter() - began, 2))
summary = {
    "count": len(seconds),
    "median_s": statistics.median(seconds) if seconds else None,
    "max_s": max(seconds, default=None),
}
sys.stdout.write(json.dumps(summary) + "\n")
