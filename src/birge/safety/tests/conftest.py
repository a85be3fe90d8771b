"""The cases tests' cast (birge/cases/tests/conftest.py), a case with a victim in a
shelter, and her plan.

- agency A, the Baku police: `officer`, `colleague` (frontline officers), `coordinator`
  (case coordinator), `lead` (agency lead: sees the case, may not plan)
- agency B, a shelter: `shelter_worker`
- agency C, the Ganja police: `outsider`, who must see nothing
- `analyst`, `auditor`: never open a case
"""

import pytest

from birge.cases.models import CasePerson, Part
from birge.cases.tests.conftest import (  # noqa: F401
    _fast_passwords,
    _known_keys,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
from birge.cases.tests.factories import register_case
from birge.safety import services

ADDRESS = "Nizami küçəsi 77, mənzil 12"
SHELTER_LOCATION = "Sığınacaq: Xətai rayonu, Babək prospekti 15"

SECTIONS = {
    "contacts": "Bacım Şəbnəm: +994 50 555 11 22. Kod söz: «çay dəmlə».",
    "leaving": "Şəxsiyyət vəsiqəsi, uşaqların doğum şəhadətnamələri, dərmanlar.",
    "children": "Uşaqlar məktəbdən yalnız bacısı ilə gedir.",
    "digital": "Telefonda yer paylaşımı söndürülüb.",
    "work_school": "İşə gedərkən marşrutu dəyişir.",
    "protection_orders": "Mühafizə orderi üçün müraciət edilib.",
    "support_services": "Qaynar xətt: 860.",
}


@pytest.fixture
def sheltered_case(request, officer):
    """A case whose victim has a current address and stays in a shelter (agency A's
    coordinator exists first, as for the cases tests' `case`)."""
    request.getfixturevalue("coordinator")
    registered = register_case(officer, victim={"address": ADDRESS})
    victim = CasePerson.objects.get(case=registered, part=Part.VICTIM)
    victim.shelter_location = SHELTER_LOCATION
    victim.save(update_fields=["shelter_location"])
    registered.refresh_from_db()
    return registered


@pytest.fixture
def victim(sheltered_case):
    return CasePerson.objects.get(case=sheltered_case, part=Part.VICTIM)


@pytest.fixture
def plan(officer, sheltered_case, victim):
    plan = services.safety_plan_save(
        actor=officer,
        case=sheltered_case,
        victim=victim,
        sections=SECTIONS,
        language="az",
        version=0,
    )
    sheltered_case.refresh_from_db()
    return plan


def url(plan, suffix: str = "") -> str:
    return f"/cases/{plan.case_id}/safety/{plan.pk}/{suffix}"


def save_anyway(**kwargs):
    """services.safety_plan_save, confirming whatever names and places it finds, as the
    writer does with "Save anyway"."""
    try:
        return services.safety_plan_save(**kwargs)
    except services.PlanMentionsError as error:
        return services.safety_plan_save(**kwargs, confirm=error.fingerprint)
