"""Scoring: answers in, a level out, with every rule that fired named as a reason.

Order of reasons (stable, so that stored reasons compare and display alike): the score band,
critical items in item order, screen-in rules in file order, "no rule" when an instrument
without thresholds found nothing, then answers given as not known/declined, then missing ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .instrument import ANSWERS, Instrument, level_max


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
            reasons.append(
                Reason("score_threshold", {"score": shown, "min": _number(minimum), "level": level})
            )
        else:
            lowest = _number(plan.thresholds[0][0])
            reasons.append(
                Reason(
                    "score_below_threshold", {"score": shown, "min": lowest, "level": "standard"}
                )
            )

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
    if uncertain:
        reasons.append(Reason("not_known", {"items": uncertain, "count": len(uncertain)}))
    if missing:
        reasons.append(Reason("not_answered", {"items": missing, "count": len(missing)}))

    return ScoreResult(
        score=total, level=level, reasons=tuple(reasons), missing=tuple(missing), yes_count=len(yes)
    )
