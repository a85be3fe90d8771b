"""What the audit log keeps about a case that retention forgets: the reasons people wrote.
The events themselves stay (they are the record of who did what, and hold no personal
data); their pointer to an erased reason then finds nothing."""

from birge.audit.models import EventReason
from birge.privacy.retention import hold


def declare() -> None:
    hold(EventReason, case="case_id", blank=["text"], why="when a reason was written")
