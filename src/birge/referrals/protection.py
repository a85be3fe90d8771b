"""What the referrals app holds about a case, declared to the kernel."""

from birge.access.registry import models
from birge.referrals.models import Referral


def declare() -> None:
    models.provide(referral=Referral)
