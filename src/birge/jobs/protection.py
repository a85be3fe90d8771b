"""What the jobs hold about a case, declared to the kernel: a reassessment's chase is
bookkeeping (dates only), and goes with the case at retention."""

from birge.jobs.models import ReassessmentChase
from birge.privacy.retention import hold


def declare() -> None:
    hold(ReassessmentChase, case="case", delete=True, why="deadline bookkeeping, dates only")
