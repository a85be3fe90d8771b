"""What the safety app holds about a case, declared to the kernel: what retention forgets."""

from birge.privacy.retention import hold
from birge.safety.models import SECTION_NAMES, SafetyAction, SafetyPlan, SafetyPlanRevision


def declare() -> None:
    hold(SafetyPlan, case="case", why="that a plan existed, and its language")
    hold(SafetyPlanRevision, case="plan__case", blank=SECTION_NAMES, why="when it was revised")
    hold(SafetyAction, case="plan__case", blank=["text"], why="what was done, by which agency")
