"""The "my work" tests' cast: the conference tests' (which carry the referrals' and the
cases' people): officer, coordinator and lead of the Baku police, the shelter's worker,
the chair, the social worker, the outsider of the Ganja police, analyst and auditor."""

from birge.conferences.tests.conftest import (  # noqa: F401 - the cast
    _english,
    _fast_passwords,
    _known_keys,
    api,
    assess,
    browse,
    case,
    chair,
    chair_agency,
    coordinator,
    high_risk_case,
    in_session,
    item,
    meeting,
    queued,
    series,
    shelter,
    shelter_worker,
    social,
    social_worker,
)
from birge.referrals.tests.conftest import protocol, refer, shelter_place  # noqa: F401 - the cast
