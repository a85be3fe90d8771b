"""The cast of the proceedings and programme tests (imported by their modules as fixtures).

A case of agency S, the Baku social protection office (`social`), whose `social_coordinator`
registered it and coordinates it. The victim consented to share her record with the Baku
police (`police`) and the prosecution (`prosecution`), both in the circle:

- `investigator`: a case coordinator of the police, who records proceedings (`justice.record`);
- `prosecutor`: of the prosecution, a justice agency in the circle, who records too;
- `social_coordinator`: the victim's coordinator, of a non-justice agency: sees the stage;
- `shelter_worker`: of the shelter, which joined on high risk without consent: the stage;
- `outsider`: the Ganja police (justice-kind, `justice.record`), outside the circle: 404;
- `provider`: an agency offering a perpetrator programme in the directory.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.agencies.models import Service, ServiceKind
from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases import services as case_services
from birge.cases.models import Case, CasePerson, Part
from birge.cases.tests.factories import consent_for, register_case
from birge.justice.models import ProgrammeReferral
from birge.justice.services import proceedings as services
from birge.justice.services import programmes as programme_services
from birge.risk import services as risk_services

TODAY = timezone.localdate
SENTENCE = "Two years of restricted liberty and a perpetrator programme."
NOTE = "The investigator heard the neighbour as a witness."


@pytest.fixture
def social(db):
    return AgencyFactory(code="social-baku", kind="social_protection")


@pytest.fixture
def prosecution(db):
    return AgencyFactory(code="prosecution-baku", kind="prosecution")


@pytest.fixture
def social_coordinator(social):
    return UserFactory(username="social_coordinator", agency=social, roles=["case_coordinator"])


@pytest.fixture
def investigator(police):
    return UserFactory(username="investigator", agency=police, roles=["case_coordinator"])


@pytest.fixture
def prosecutor(prosecution):
    return UserFactory(username="prosecutor", agency=prosecution, roles=["case_coordinator"])


@pytest.fixture
def justice_outsider(other_agency):
    return UserFactory(
        username="ganja_investigator", agency=other_agency, roles=["case_coordinator"]
    )


@pytest.fixture
def provider(db):
    agency = AgencyFactory(code="programme-baku", kind="shelter_ngo")
    Service.objects.create(
        agency=agency,
        kind=ServiceKind.PERPETRATOR_PROGRAMME,
        name_az="Proqram",
        name_ru="Программа",
        name_en="Programme",
    )
    return agency


@pytest.fixture
def justice_case(social_coordinator, investigator, prosecutor, police, prosecution, shelter):
    """The case, with the police and prosecution in its circle on her consent and the
    shelter on high risk without it."""
    case = register_case(
        social_coordinator,
        consent=consent_for(police, prosecution),
        incident={"occurred_on": TODAY() - timedelta(days=30)},
    )
    for agency in (police, prosecution):
        case_services.case_share(actor=social_coordinator, case=case, agency=agency)
    # High risk through the one writer of a case's level: a judgement of her coordinator.
    risk_services.assessment_judgement(
        actor=social_coordinator, case=case, level="high", reason="Threats to kill her."
    )
    case.refresh_from_db()
    case_services.case_share(
        actor=social_coordinator,
        case=case,
        agency=shelter,
        reason="He threatened to kill her last night.",
    )
    case.refresh_from_db()
    return case


def perpetrator_of(case: Case):
    return CasePerson.objects.get(case=case, part=Part.PERPETRATOR).person


@pytest.fixture
def proceeding(justice_case, investigator):
    """Criminal proceedings the police opened 20 days ago, at investigation since 10."""
    opened = services.proceeding_open(
        actor=investigator,
        case=justice_case,
        perpetrator=perpetrator_of(justice_case),
        incident=justice_case.incidents.first(),
        kind="criminal",
        opened_on=TODAY() - timedelta(days=20),
        note=NOTE,
    )
    return services.proceeding_stage_record(
        actor=investigator,
        proceeding=opened,
        stage="investigation",
        began_on=TODAY() - timedelta(days=10),
    )


@pytest.fixture
def programme(justice_case, investigator, provider):
    return programme_services.programme_refer(
        actor=investigator,
        case=justice_case,
        perpetrator=perpetrator_of(justice_case),
        provider=provider,
        referred_on=TODAY() - timedelta(days=5),
        mandated=True,
        sessions_planned=12,
    )


def justice_ids(*, case: Case, actor, provider) -> dict[str, int]:
    """For the guarantees' worlds: a proceeding at investigation, recorded by `actor` (of a
    justice agency), and a programme referral to `provider`; their route parameters."""
    opened = services.proceeding_open(
        actor=actor,
        case=case,
        perpetrator=perpetrator_of(case),
        kind="criminal",
        opened_on=TODAY(),
        note=NOTE,
    )
    services.proceeding_stage_record(
        actor=actor, proceeding=opened, stage="investigation", began_on=TODAY()
    )
    programme = ProgrammeReferral.objects.create(
        case=case,
        perpetrator=opened.perpetrator,
        provider=provider,
        referred_on=TODAY(),
        referred_by=actor,
    )
    return {"proceeding_id": opened.pk, "programme_id": programme.pk}
