"""Forget unsaved form answers older than BIRGE_DRAFT_AGE (birge.drafts: they hold what a
person typed about a case, kept only so that an ended session loses nothing)."""

from datetime import datetime

from birge.drafts.services import drafts_expire


def draft_expiry(now: datetime | None = None) -> int:
    return drafts_expire(now=now)
