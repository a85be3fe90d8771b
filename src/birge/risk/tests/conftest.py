"""The risk tests' cast: the cases tests' people (agency A's coordinator, the shelter and
its worker, a browser per person, fixed keys), plus the shipped Birge checklist and a few
ways to answer it, assess with it and share a case with the shelter.

- agency A, the Baku police (`police`): `officer`, `colleague` (frontline officers),
  `coordinator` (case coordinator), `lead` (agency lead: sees cases, does not assess)
- agency B, a shelter (`shelter`): `shelter_worker` (case coordinator)
- agency C, the Ganja police (`other_agency`): `outsider`, who must see nothing
- `analyst`, `auditor`, `admin` (the administrator: protocol.manage)
"""

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.cases import services as case_services
from birge.cases.tests.conftest import (  # noqa: F401
    _fast_passwords,
    _known_keys,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
from birge.cases.tests.factories import consent_for, register_case
from birge.risk import services
from birge.risk.models import InstrumentVersion


@pytest.fixture
def checklist(db) -> InstrumentVersion:
    """The Birge risk checklist, version 1, as migration risk/0002 installed it."""
    return InstrumentVersion.objects.get(instrument_id="birge-checklist", version="1")


@pytest.fixture
def answers(checklist):
    """`answers("threat_to_kill", ...)`: every item answered, "yes" to the named ones and
    "no" to the rest; `missing=[...]` leaves items out, `value=` answers them otherwise."""
    items = [item.id for item in checklist.instrument.items]

    def answers(*yes: str, missing=(), **values: str) -> dict[str, str]:
        unknown = (set(yes) | set(missing) | set(values)) - set(items)
        assert not unknown, f"not an item of the checklist: {sorted(unknown)}"
        given = {i: values.get(i, "yes" if i in yes else "no") for i in items}
        return {i: v for i, v in given.items() if i not in missing}

    return answers


@pytest.fixture
def checklist_v2(db) -> InstrumentVersion:
    """The Birge risk checklist, version 2 (the newest: what new assessments use)."""
    return InstrumentVersion.objects.get(instrument_id="birge-checklist", version="2")


@pytest.fixture
def answers_for():
    """`answers_for(version, "threat_to_kill", ..., fear="unknown", default="no")`: every
    item of that instrument version answered: "yes" to the named ones, `default` to the
    rest, and the answers given by keyword."""

    def answers_for(version, *yes: str, default: str = "no", **values: str) -> dict[str, str]:
        items = [item.id for item in version.instrument.items]
        unknown = (set(yes) | set(values)) - set(items)
        assert not unknown, f"not an item of {version}: {sorted(unknown)}"
        return {i: values.get(i, "yes" if i in yes else default) for i in items}

    return answers_for


@pytest.fixture
def form_data():
    """What the browser posts on the assessment form for these answers."""

    def form_data(answers: dict[str, str], **extra) -> dict[str, str]:
        data = {f"item_{item}": value for item, value in answers.items()}
        data.update(victim_fear="afraid", victim_view="He said he would find me anywhere.")
        data.update(extra)
        return data

    return form_data


@pytest.fixture
def assess(checklist, answers):
    """`assess(user, case, *yes, level=None, reason="")`: a checklist assessment made and
    submitted through the services (`submit=False` keeps it a draft)."""

    def assess(user, of_case, *yes, level="", reason="", submit=True, missing=()):
        assessment = services.assessment_draft_save(
            actor=user,
            case=of_case,
            instrument_version=checklist,
            answers=answers(*yes, missing=missing),
        )
        if submit:
            services.assessment_submit(
                actor=user, assessment=assessment, final_level=level, judgement_reason=reason
            )
        assessment.refresh_from_db()
        return assessment

    return assess


@pytest.fixture
def shared_case(officer, coordinator, shelter, shelter_worker):  # noqa: F811 - the cast
    """A case of agency A that the victim agreed to share with the shelter (agency B)."""
    shared = register_case(officer, consent=consent_for(shelter))
    case_services.case_share(actor=officer, case=shared, agency=shelter)
    shared.refresh_from_db()
    return shared


@pytest.fixture
def api():
    """`api(user, language="en")`: a client carrying the user's bearer token."""

    def api(user, language: str = "en") -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE=language)

    return api
