"""What the statistics hold about a case, declared to the kernel: one row of codes per
case (quarter, region, bands, flags; no name, date or text), kept when the case is
forgotten, so that a year's published figures do not change afterwards."""

from birge.privacy.retention import hold
from birge.reports.models import CaseFact


def declare() -> None:
    hold(
        CaseFact,
        case="case",
        keep=[
            field.name
            for field in CaseFact._meta.get_fields()
            if getattr(field, "concrete", False) and field.name != "case"
        ],
        why="codes, quarters and bands only: the published national figures",
    )
