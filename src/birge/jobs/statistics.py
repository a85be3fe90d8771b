"""Keep the statistics' fact table current: the cases changed since the last run
(birge.reports.facts; the run locks its state row, so two servers never refresh twice)."""

from datetime import datetime

from birge.reports.facts import facts_refresh


def statistics_refresh(now: datetime | None = None) -> int:
    return facts_refresh(now=now)
