"""What the justice app holds about a case, declared to the kernel: what retention
forgets, and what it keeps for the accountability figures (codes and dates only)."""

from birge.access.fields import LOCATION, declare_scopes
from birge.justice.models import (
    OrderBreach,
    OrderEvent,
    Proceeding,
    ProceedingStage,
    ProgrammeReferral,
    ProtectionOrder,
)
from birge.privacy.retention import hold

FIGURES = "codes and dates count orders, breaches, proceedings and programmes in the figures"


def declare() -> None:
    # The places he must keep away from are her locations (the location scope).
    declare_scopes(ProtectionOrder, places=LOCATION)
    hold(
        ProtectionOrder,
        case="case",
        blank=["places"],
        keep=["order_type", "status", "applicant", "conditions"],
        why=FIGURES,
    )
    hold(
        OrderEvent,
        case="order__case",
        blank=["note"],
        keep=["kind", "conditions"],
        why=FIGURES,
    )
    hold(OrderBreach, case="order__case", keep=["sanction"], why=FIGURES)
    hold(
        Proceeding,
        case="case",
        blank=["sentence"],
        keep=["kind", "stage", "outcome"],
        why=FIGURES,
    )
    hold(ProceedingStage, case="proceeding__case", blank=["note"], keep=["stage"], why=FIGURES)
    hold(ProgrammeReferral, case="case", blank=["note"], keep=["status"], why=FIGURES)
