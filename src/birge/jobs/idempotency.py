"""Forget the API's kept answers to Idempotency-Key creates after 24 hours (they hold
personal data; birge.cases.idempotency keeps them for retries only)."""

from datetime import datetime

from birge.cases.idempotency import idempotent_requests_expire


def idempotency_expiry(now: datetime | None = None) -> int:
    return idempotent_requests_expire(now=now)
