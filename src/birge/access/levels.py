"""Who may lower a case's risk level: the one rule, whatever the route.

A level goes up at once. It goes down below the level in force only when a second
professional agrees who

1. may carry out risk assessments (`risk.assess`);
2. belongs to another agency than the professional who proposed the lower level;
3. belongs to an agency in the case's circle (emergency access is not enough: she must
   know the case, not have glimpsed it);
4. can see the case (not retired, not sealed for her, no declared relation).

The order of the levels is standard < medium < high < critical; a case without a level
is below standard. Every route that can set a level (an assessment, a correction, a screen
then a checklist, professional judgement alone, the API) goes through
`birge.risk.services`, which asks here.
"""

from django.db.models import Model

from birge.access import predicates as p
from birge.access.cases import case_visible
from birge.access.registry import models
from birge.agencies.selectors import user_has_capability

LEVELS = ("standard", "medium", "high", "critical")  # lowest first
NO_LEVEL = ""
_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def level_rank(level: str | None) -> int:
    """standard 0 … critical 3; no level -1. Anything else is a programming error."""
    if not level:
        return -1
    try:
        return _RANK[level]
    except KeyError:
        raise ValueError(f"unknown risk level {level!r}; expected one of {LEVELS}") from None


def level_higher(*levels: str | None) -> str:
    """The highest of the levels ("" when none is set)."""
    return max((level or NO_LEVEL for level in levels), key=level_rank, default=NO_LEVEL)


def level_lowers(*, proposed: str, in_force: str | None) -> bool:
    """True when `proposed` is below the level in force."""
    return level_rank(proposed) < level_rank(in_force)


def may_approve_lowering(*, user, case: Model, proposer_agency_id: int) -> bool:
    """The second professional a lower level needs (see the module's docstring)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.agency_id is None or user.agency_id == proposer_agency_id:
        return False
    if not user_has_capability(user, "risk.assess"):
        return False
    return (
        models.case.objects.filter(case_visible(user) & p.in_circle(user), pk=case.pk)
        .values("pk")
        .exists()
    )
