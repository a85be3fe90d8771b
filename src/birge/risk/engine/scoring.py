"""Scoring: answers in, a level out, with every rule that fired named as a reason.

Reasons come in the order of the decision (`reasons_in_order`): the rules by the level
they give, highest first, so that what set the level opens the list (at one level a
critical item, then the score band, then a screen-in rule); then "incomplete" when the
answers cannot support a level (the instrument's `incomplete` rule); then answers given as
not known or declined, and missing ones. A rule that gave less than the level never reads
as the level (texts.py words it as what the rule gives, not as the result).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .instrument import ANSWERS, Instrument, level_index, level_max


@dataclass(frozen=True)
class Reason:
    """Why a level is what it is: a code and JSON-ready parameters (reason_text renders it)."""

    code: str
    params: dict


@dataclass(frozen=True)
class ScoreResult:
    score: float
    level: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]  # items with no answer yet (None or absent), in item order
    yes_count: int
    # The answers cannot support the level (the instrument's `incomplete` rule): the result
    # is "incomplete, professional judgement required", never a clean level on its own.
    incomplete: bool = False


# The rules that give a level, and where each stands among rules giving the same level.
RULE_CODES = {
    "critical_item": 0,
    "score_threshold": 1,
    "score_below_threshold": 1,
    "screen_in": 2,
    "no_rule": 3,
}
INCOMPLETE_CODES = ("incomplete_critical", "incomplete_share")
_AFTER_RULES = {
    code: rank for rank, code in enumerate((*INCOMPLETE_CODES, "not_known", "not_answered"))
}


def _order(reason: Reason) -> tuple:
    if reason.code in RULE_CODES:
        try:
            given = level_index(reason.params.get("level", "standard"))
        except ValueError:
            given = 0
        return (0, -given, RULE_CODES[reason.code])
    return (1, _AFTER_RULES.get(reason.code, len(_AFTER_RULES)))


def reasons_in_order(reasons) -> tuple[Reason, ...]:
    """Reasons in the order of the decision (stable among equals); also for reasons stored
    by an earlier Birge in another order."""
    return tuple(sorted(reasons, key=_order))


def _number(value: float) -> int | float:
    """Whole scores as ints, so that stored reasons read 15 rather than 15.0."""
    return int(value) if float(value).is_integer() else value


def score(instrument: Instrument, answers: Mapping[str, str | None]) -> ScoreResult:
    """Score answers (a draft may leave some out); ValueError names unknown items or answers."""
    plan = instrument.plan
    weights = plan.weights
    unknown = sorted(str(key) for key in answers if key not in weights)
    invalid = sorted(
        f"{key}={value!r}"
        for key, value in answers.items()
        if key in weights and value is not None and value not in ANSWERS
    )
    if unknown or invalid:
        problems = []
        if unknown:
            problems.append(f"unknown items: {', '.join(unknown)}")
        if invalid:
            problems.append(f"answers not in {ANSWERS}: {', '.join(invalid)}")
        raise ValueError(f"{instrument.id} v{instrument.version}: {'; '.join(problems)}")

    yes: list[str] = []
    uncertain: list[str] = []
    missing: list[str] = []
    for item_id in plan.order:
        answer = answers.get(item_id)
        if answer is None:
            missing.append(item_id)
        elif answer == "yes":
            yes.append(item_id)
        elif answer != "no":
            uncertain.append(item_id)

    if plan.method == "weighted":
        # Rounded so that 0.1 + 0.2 meets a threshold of 0.3, as a person adding them expects.
        total: float = round(math.fsum(weights[item_id] for item_id in yes), 6)
    else:
        total = float(len(yes))
    shown = _number(total)

    reasons: list[Reason] = []
    if plan.thresholds:
        reached = [(minimum, level) for minimum, level in plan.thresholds if total >= minimum]
        if reached:
            minimum, level = reached[-1]
            params = {"score": shown, "min": _number(minimum), "level": level}
            if minimum in plan.provisional:
                params["provisional"] = True
            reasons.append(Reason("score_threshold", params))
        else:
            lowest = plan.thresholds[0][0]
            params = {"score": shown, "min": _number(lowest), "level": "standard"}
            if lowest in plan.provisional:
                params["provisional"] = True
            reasons.append(Reason("score_below_threshold", params))

    yes_set = set(yes)
    for item_id in yes:
        level = plan.critical_levels.get(item_id)
        if level is not None:
            reasons.append(Reason("critical_item", {"item": item_id, "level": level}))

    for rule in plan.screen_rules:
        hits = [item_id for item_id in rule.items if item_id in yes_set]
        if len(hits) < rule.at_least:
            continue
        params: dict = {"rule": rule.number, "kind": rule.kind, "items": hits, "level": rule.level}
        if rule.kind == "at_least":
            of = rule.of if rule.of == "rest" else list(rule.of)
            params.update({"count": len(hits), "at_least": rule.at_least, "of": of})
        reasons.append(Reason("screen_in", params))

    level = level_max(*(reason.params["level"] for reason in reasons))
    if not plan.thresholds and not reasons:
        reasons.append(Reason("no_rule", {"score": shown, "level": "standard"}))

    incomplete = False
    rule = plan.incomplete
    if rule is not None:
        unsure = set(uncertain)
        critical = [item_id for item_id in rule.critical if item_id in unsure]
        if critical:
            reasons.append(
                Reason("incomplete_critical", {"items": critical, "count": len(critical)})
            )
        share = rule.max_missing_share
        # Rounded, so that a share of 0.3 of 10 answers allows exactly 3.
        too_many = share is not None and len(uncertain) > round(share * len(plan.order), 9)
        if too_many:
            reasons.append(
                Reason(
                    "incomplete_share",
                    {"count": len(uncertain), "total": len(plan.order), "max_share": share},
                )
            )
        incomplete = bool(critical) or too_many
    if uncertain:
        reasons.append(Reason("not_known", {"items": uncertain, "count": len(uncertain)}))
    if missing:
        reasons.append(Reason("not_answered", {"items": missing, "count": len(missing)}))

    return ScoreResult(
        score=total,
        level=level,
        reasons=reasons_in_order(reasons),
        missing=tuple(missing),
        yes_count=len(yes),
        incomplete=incomplete,
    )
