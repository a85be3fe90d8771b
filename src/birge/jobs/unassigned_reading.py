"""Tell the auditors of people reading many cases that are not theirs (birge.access.trail):
asked here every minute for everyone at once, rather than by each read."""

from datetime import datetime

from birge.access.trail import unassigned_reading_alerts


def unassigned_reading(now: datetime | None = None) -> int:
    return unassigned_reading_alerts(now)
