"""What the risk app holds about a case, declared to the kernel: what retention forgets.
The answers and levels stay: they are codes, and validating the instruments against what
happened later needs them."""

from birge.privacy.retention import hold
from birge.risk.models import RiskAssessment


def declare() -> None:
    hold(
        RiskAssessment,
        case="case",
        blank=["victim_view", "judgement_reason"],
        keep=["answers", "reasons"],
        why="answers and reasons are item codes; the validation report needs them",
    )
