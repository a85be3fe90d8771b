"""Reading the counts of flagged phrases for the coordinating body's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from birge.words.models import PhraseCount
from birge.words.rules import CATEGORIES, rules_in_force

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class CountRow:
    rule: str
    category: str  # "" for a rule no longer in the rules in force
    rules_version: str
    counts: tuple[int, ...]  # one per month, in the order of CountTable.months

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class CountTable:
    months: tuple[date, ...]  # newest first
    rows: tuple[CountRow, ...]


def phrase_count_table(*, months: int = MONTHS_SHOWN) -> CountTable:
    """The last `months` months that have counts, a row per rule and rules version, the
    rules in the order of their categories."""
    shown = tuple(
        PhraseCount.objects.order_by("-month").values_list("month", flat=True).distinct()[:months]
    )
    cells: dict[tuple[str, str], dict[date, int]] = {}
    for month, rule, version, count in PhraseCount.objects.filter(month__in=shown).values_list(
        "month", "rule", "rules_version", "count"
    ):
        cells.setdefault((rule, version), {})[month] = count
    rules = rules_in_force()
    order = {rule.code: i for i, rule in enumerate(rules.rules)}
    category = {rule.code: rule.category for rule in rules.rules}
    rows = tuple(
        CountRow(
            rule=rule,
            category=category.get(rule, ""),
            rules_version=version,
            counts=tuple(by_month.get(month, 0) for month in shown),
        )
        for (rule, version), by_month in sorted(
            cells.items(),
            key=lambda kv: (
                CATEGORIES.index(category[kv[0][0]]) if kv[0][0] in category else len(CATEGORIES),
                order.get(kv[0][0], len(order)),
                kv[0][1],
            ),
        )
    )
    return CountTable(months=shown, rows=rows)
