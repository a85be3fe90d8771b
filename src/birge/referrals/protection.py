"""What the referrals app holds about a case, declared to the kernel: the model the access
rules are about, and what retention forgets."""

from birge.access.registry import models
from birge.privacy.retention import hold
from birge.referrals.models import Referral


def declare() -> None:
    models.provide(referral=Referral)
    hold(
        Referral,
        case="case",
        blank=["summary", "decline_reason"],
        keep=["pathway"],
        why="the pathway and the dates measure whether agencies kept their promises",
    )
