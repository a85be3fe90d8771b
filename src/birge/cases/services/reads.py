"""Reads leave a trace: every view of a case (recorded by birge.access.trail)."""

from birge.access.trail import case_read_record
from birge.cases.models import Case

CHANNELS = ("page", "api", "print", "export")


def case_view_record(*, user, case: Case, channel: str = "page") -> None:
    """Record that the user saw the case; auditors are alerted when she reads unusually
    many cases she is not assigned to (neither coordinator nor the person who opened it)."""
    case_read_record(user=user, case=case, channel=channel)
