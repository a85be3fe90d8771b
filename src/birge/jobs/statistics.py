"""Keep the statistics current: the facts of the cases changed since the last run
(birge.reports.facts; the run locks its state row, so two servers never refresh at once),
then the national publication counted and protected once, into the cache, so that no
page waits for it."""

from datetime import datetime

from birge.reports.facts import facts_refresh
from birge.reports.statistics import publication_for


def statistics_refresh(now: datetime | None = None) -> int:
    refreshed = facts_refresh(now=now)
    publication_for()
    return refreshed
