"""What an instrument is once loaded: items, scoring rules, and the exact text it came from.

An assessment stores the instrument's `source` (or its id, version and `sha256`) with the
raw answers, so that its level can be recomputed and explained long after the instrument
has a newer version (DESIGN.md, principle 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

ANSWERS = ("yes", "no", "unknown", "declined")
LEVELS = ("standard", "medium", "high", "critical")  # ordered, lowest first
LANGUAGES = ("az", "ru", "en")

_LEVEL_INDEX = {level: index for index, level in enumerate(LEVELS)}


def level_index(level: str) -> int:
    """The level's rank (standard 0 … critical 3); ValueError for anything else."""
    try:
        return _LEVEL_INDEX[level]
    except (KeyError, TypeError):
        raise ValueError(f"unknown risk level {level!r}; expected one of {LEVELS}") from None


def level_max(*levels: str) -> str:
    """The highest of the given levels; "standard" when none is given."""
    return LEVELS[max((level_index(level) for level in levels), default=0)]


def version_key(version: str) -> tuple:
    """Versions in the order a person counts them: "2" after "1", "10" after "9", "1.1"
    after "1". The newest active version is the one new assessments use."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"[0-9]+|[^0-9._-]+", version)
    )


class InstrumentError(Exception):
    """A malformed instrument file: which file, which item (if any) and what is wrong."""

    def __init__(self, file: str, item: str | None, problem: str) -> None:
        super().__init__(file, item, problem)
        self.file = file
        self.item = item
        self.problem = problem

    def __str__(self) -> str:
        if self.item is None:
            return f"{self.file}: {self.problem}"
        return f'{self.file}: item "{self.item}": {self.problem}'


@dataclass(frozen=True)
class Item:
    """One question. `texts` is the question as asked; `labels` names the risk factor briefly
    (for reasons and charts); both in az, ru and en. `evidence` is a note in English."""

    id: str
    texts: dict[str, str]
    category: str
    weight: float = 1.0
    critical: bool = False
    evidence: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    scope: str = ""  # a consent scope the answer belongs to ("health"), or none


@dataclass(frozen=True)
class ScreenRule:
    """A screen-in rule, resolved: `items` are the ids it looks at, in item order."""

    number: int  # 1-based, as an administrator counts the rules in the file
    kind: str  # "any_of" or "at_least"
    items: tuple[str, ...]
    at_least: int
    of: str | tuple[str, ...]  # "rest" or the ids named in the file
    level: str


@dataclass(frozen=True)
class IncompleteRule:
    """When the answers cannot support a level: a critical question not known or declined
    (`critical`: the items that set a level on their own by a "yes"), or more than
    `max_missing_share` of all answers not known or declined."""

    critical: tuple[str, ...]  # empty when the rule does not look at critical items
    max_missing_share: float | None


@dataclass(frozen=True)
class ScoringPlan:
    """The scoring section turned into lookups once, so that score() only counts."""

    method: str
    order: tuple[str, ...]
    weights: dict[str, float]
    thresholds: tuple[tuple[float, str], ...]  # (min_score, level), increasing
    critical_levels: dict[str, str]  # item id -> minimum level it sets on its own
    screen_rules: tuple[ScreenRule, ...]
    provisional: frozenset[float] = frozenset()  # min_score of the provisional bands
    incomplete: IncompleteRule | None = None


# Equality and hashing by content hash: two loads of the same text are the same instrument,
# and the dict fields would otherwise make instances unhashable.
@dataclass(frozen=True, eq=False)
class Instrument:
    """A validated instrument. Treat the dicts as read-only: they are the loaded data."""

    id: str
    version: str
    names: dict[str, str]
    descriptions: dict[str, str]
    items: tuple[Item, ...]
    scoring: dict
    source: str  # canonical JSON of the whole file: what a database stores
    sha256: str  # of `source` (UTF-8)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> names

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instrument):
            return NotImplemented
        return self.sha256 == other.sha256

    def __hash__(self) -> int:
        return hash(self.sha256)

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError naming it when the instrument has none."""
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise KeyError(
                f"instrument {self.id} v{self.version} has no item {item_id!r}"
            ) from None

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def plan(self) -> ScoringPlan:
        """The scoring rules resolved against the items (built on first use)."""
        scoring = self.scoring
        order = tuple(item.id for item in self.items)
        default_critical = scoring.get("critical_minimum_level")
        overrides = scoring.get("critical_item_levels", {})
        critical_levels = {
            item.id: overrides.get(item.id, default_critical)
            for item in self.items
            if item.critical
        }
        named_by_any_of = {
            item_id for rule in scoring.get("screen_in", []) for item_id in rule.get("any_of", [])
        }
        rules = []
        for number, rule in enumerate(scoring.get("screen_in", []), start=1):
            if "any_of" in rule:
                wanted = set(rule["any_of"])
                kind, at_least, of = "any_of", 1, tuple(rule["any_of"])
            else:
                of = rule["of"] if rule["of"] == "rest" else tuple(rule["of"])
                wanted = set(order) - named_by_any_of if of == "rest" else set(of)
                kind, at_least = "at_least", rule["at_least"]
            items = tuple(item_id for item_id in order if item_id in wanted)
            rules.append(ScreenRule(number, kind, items, at_least, of, rule["level"]))
        incomplete = None
        if "incomplete" in scoring:
            rule = scoring["incomplete"]
            on_their_own = set(critical_levels) | named_by_any_of
            incomplete = IncompleteRule(
                critical=tuple(i for i in order if i in on_their_own)
                if rule.get("critical_unknown")
                else (),
                max_missing_share=rule.get("max_missing_share"),
            )
        thresholds = scoring.get("thresholds", [])
        return ScoringPlan(
            method=scoring["method"],
            order=order,
            weights={item.id: float(item.weight) for item in self.items},
            thresholds=tuple((t["min_score"], t["level"]) for t in thresholds),
            critical_levels=critical_levels,
            screen_rules=tuple(rules),
            provisional=frozenset(t["min_score"] for t in thresholds if t.get("provisional")),
            incomplete=incomplete,
        )

    @property
    def provisional_note(self) -> dict[str, str]:
        """Why the bands are provisional, in az, ru and en; empty when none is."""
        return self.scoring.get("provisional_note", {})
