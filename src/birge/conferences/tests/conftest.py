"""The conference tests' cast, on top of the referrals tests' (officer, coordinator, lead,
shelter_worker, outsider, analyst, the `assess` and `api` helpers).

- `chair_agency`: the coordinating body (Baku); `chair`: its conference chair
- `series`: the Baku risk conference; members: the Baku police (agency A, `police`), the
  shelter (agency B, `shelter`), Baku social protection (`social`) and the coordinating
  body; quorum 2
- `social_worker`: a case coordinator of Baku social protection (a member agency that is
  not in any of the cases' circles)
- `outsider`: the Ganja police's frontline officer; `ganja_coordinator`: a case
  coordinator of the Ganja police, which is not a member: both must see nothing
- `high_risk_case`: agency A's case assessed at high risk: it waits in the series' queue
- `meeting`: a meeting of the series a week ahead, with `high_risk_case` on its agenda
- `in_session`: `meeting`, opened, with the chair, the coordinator (police) and the
  social worker attending (quorum reached)
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from birge.agencies.tests.factories import AgencyFactory, RegionFactory, UserFactory
from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
from birge.conferences import services
from birge.conferences.models import ConferenceReferral, ConferenceSeries
from birge.referrals.tests.conftest import api, assess, high_risk_case  # noqa: F401 - the cast
from birge.web.tests.conftest import replica_at  # noqa: F401 - a replica for a test

STATEMENT = "What is said here stays here; it is used only to protect her."


@pytest.fixture(autouse=True)
def _english():
    """The services' messages, read outside a request, in English (the default is
    Azerbaijani): the tests compare them with the English text."""
    with translation.override("en"):
        yield


@pytest.fixture
def chair_agency(db):
    return AgencyFactory(code="scfwca", kind="coordinating_body")


@pytest.fixture
def chair(chair_agency):
    return UserFactory(username="chair", agency=chair_agency, roles=["conference_chair"])


@pytest.fixture
def social(db):
    return AgencyFactory(code="social-baku", kind="social_protection")


@pytest.fixture
def social_worker(social):
    return UserFactory(username="social_worker", agency=social, roles=["case_coordinator"])


@pytest.fixture
def ganja_coordinator(other_agency):
    return UserFactory(
        username="ganja_coordinator", agency=other_agency, roles=["case_coordinator"]
    )


@pytest.fixture
def series(chair, police, shelter, social, chair_agency):  # noqa: F811 - the cast
    created = ConferenceSeries.objects.create(
        code="baku-marac",
        name_az="Bakı risk konfransı",
        name_ru="Бакинская конференция по рискам",
        name_en="Baku risk conference",
        region=RegionFactory(),
        chair=chair,
        quorum=2,
        confidentiality_az=STATEMENT,
        confidentiality_ru=STATEMENT,
        confidentiality_en=STATEMENT,
        legal_basis="Law on domestic violence, art. 6; protocol section 4",
        adult_women_population=50000,
    )
    created.members.set([police, shelter, social, chair_agency])
    return created


@pytest.fixture
def queued(series, high_risk_case):  # noqa: F811 - the cast
    """The high-risk case's referral, waiting in the series' queue."""
    return ConferenceReferral.objects.get(case=high_risk_case, series=series)


@pytest.fixture
def meeting(chair, series, queued):
    planned = services.meeting_plan(
        actor=chair, series=series, starts_at=timezone.now() + timedelta(days=7), place="Room 4"
    )
    services.agenda_add(actor=chair, meeting=planned, referral=queued)
    return planned


@pytest.fixture
def item(meeting):
    return meeting.items.get()


@pytest.fixture
def in_session(chair, coordinator, social_worker, meeting):  # noqa: F811 - the cast
    services.meeting_open(actor=chair, meeting=meeting)
    for user in (chair, coordinator, social_worker):
        services.meeting_attend(actor=user, meeting=meeting, accept=True, language="en")
    return meeting
