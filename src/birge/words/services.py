"""Counting the phrases flagged in saved texts (birge.words.middleware calls this)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from birge.words.models import PhraseCount
from birge.words.rules import rules_in_force


def phrase_counts_add(*, codes: Iterable[str], day: date | None = None) -> None:
    """One more for each rule code, in the month of `day` (today) and the rules' version.

    No audit event: an event names its actor, and these counts must never say who wrote
    a phrase."""
    month = (day or timezone.localdate()).replace(day=1)
    version = rules_in_force().version
    with transaction.atomic():
        for code in sorted(set(codes)):
            same = PhraseCount.objects.filter(month=month, rule=code, rules_version=version)
            if same.update(count=F("count") + 1):
                continue
            try:
                with transaction.atomic():
                    PhraseCount.objects.create(
                        month=month, rule=code, rules_version=version, count=1
                    )
            except IntegrityError:  # another save created the row meanwhile
                same.update(count=F("count") + 1)
