"""The whole explanation of an assessment's level, in the order of the decision.

First the level (or that a draft is incomplete, or that a lower level waits), then what set
it: the instrument's rules, highest level first; "incomplete" when the answers cannot
support a level; her fear for her life or a child's; the professional judgement; the second
opinion; last the answers that were not yes. Every sentence is one `Reason` that
`reason_text` renders in az, ru or en. Pure: the caller passes what the assessment holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from .scoring import INCOMPLETE_CODES, RULE_CODES, Reason, reasons_in_order
from .texts import FEAR_FOR_LIFE

_LAST = ("not_known", "not_answered")


def explain(
    reasons: Iterable[Reason],
    *,
    computed_level: str,
    final_level: str,
    status: str,
    judged: bool = False,
    approved: bool = False,
    fear: str = "",
    judgement_alone: bool = False,
) -> tuple[Reason, ...]:
    """The explanation of one assessment.

    `reasons`: the rules' reasons stored with it (any order, none for judgement alone);
    `status`: draft, submitted, pending_approval or superseded; `judged`: a professional
    judgement was written; `approved`: a second professional approved the lower level;
    `fear`: her own view of the danger (`very_afraid` and `child_life` are fear for a life).
    """
    ordered = reasons_in_order(reasons)
    incomplete = any(r.code in INCOMPLETE_CODES for r in ordered)
    explained: list[Reason] = [
        _headline(status, computed_level, final_level, incomplete=incomplete)
    ]
    explained += [r for r in ordered if r.code in RULE_CODES or r.code in INCOMPLETE_CODES]
    if fear in FEAR_FOR_LIFE:
        explained.append(Reason("her_fear", {"fear": fear}))
    if judgement_alone:
        explained.append(Reason("judgement_alone", {}))
    elif final_level and computed_level and final_level != computed_level:
        explained.append(
            Reason("judgement_changed", {"level": final_level, "computed": computed_level})
        )
    elif final_level and judged:
        explained.append(Reason("judgement_kept", {"level": final_level}))
    if approved:
        explained.append(Reason("second_opinion", {}))
    elif status == "pending_approval":
        explained.append(Reason("second_opinion_waiting", {}))
    explained += [r for r in ordered if r.code in _LAST]
    return tuple(explained)


def _headline(status: str, computed: str, final: str, *, incomplete: bool) -> Reason:
    if status == "draft" or not final:
        if incomplete:
            return Reason("level_incomplete", {})
        return Reason("level_draft", {"level": computed or "standard"})
    if status == "pending_approval":
        return Reason("level_proposed", {"level": final})
    if status == "superseded":
        return Reason("level_superseded", {"level": final})
    return Reason("level", {"level": final})
