"""Anonymise cases closed longer than BIRGE_RETENTION_DAYS (birge.cases' own service,
which already claims its cases with SKIP LOCKED)."""

from datetime import datetime

from birge.cases.services import cases_anonymise_expired


def retention(now: datetime | None = None) -> int:
    return cases_anonymise_expired(now=now)
