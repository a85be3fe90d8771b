"""The whole cast: the conference tests' (which include the referrals', risk's and cases'):

- agency A, the Baku police (`police`): `officer`, `colleague` (frontline officers),
  `coordinator` (case coordinator), `lead` (agency lead)
- agency B, a shelter (`shelter`): `shelter_worker` (case coordinator); `shelter_place`
- Baku social protection (`social`): `social_worker`; the coordinating body
  (`chair_agency`): `chair`, who chairs the Baku risk conference (`series`)
- agency C, the Ganja police (`other_agency`): `outsider`, `ganja_coordinator`
"""

from birge.conferences.tests.conftest import (  # noqa: F401 - the cast
    _english,
    _fast_passwords,
    _known_keys,
    api,
    browse,
    chair,
    chair_agency,
    coordinator,
    ganja_coordinator,
    series,
    shelter,
    shelter_worker,
    social,
    social_worker,
)
from birge.referrals.tests.conftest import protocol, refer, shelter_place  # noqa: F401
