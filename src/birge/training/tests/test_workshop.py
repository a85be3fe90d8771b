"""The co-operation-plan workshop: participants propose their agencies' response times for
the protocol in force; the facilitator sees them agency by agency and, when she may draft
the protocol, carries them into a draft that then follows the protocol's proposal flow."""

import copy

import pytest

from birge.agencies.models import ProtocolVersion
from birge.agencies.protocol import protocol_adopt, protocol_draft_save, protocol_propose
from birge.agencies.tests.factories import UserFactory
from birge.agencies.tests.test_protocol import CONTENT
from birge.training import services


@pytest.fixture
def in_force(police, trainer):
    admin = UserFactory(username="national.admin", agency=trainer.agency, roles=["administrator"])
    version = protocol_draft_save(actor=admin, content=copy.deepcopy(CONTENT), note="first")
    protocol_propose(actor=admin, version=version)
    return protocol_adopt(actor=admin, version=version)


@pytest.fixture
def workshop(trainer, in_force):
    return services.session_open(
        actor=trainer,
        title="Protocol workshop",
        case_study="coercive-control",
        stages=["first-contact"],
        language="en",
        workshop=True,
    )


def _joined(browse, user, session):
    client = browse(user)
    client.post("/training/join/", {"join_code": session.join_code})
    return client


def test_participants_propose_and_the_facilitator_sees_them_by_agency(
    browse, workshop, trainer, officer, outsider
):
    police = _joined(browse, officer, workshop)
    ganja = _joined(browse, outsider, workshop)
    url = f"/training/{workshop.pk}/workshop/"
    assert (
        police.post(url, {"hours_shelter-place": "6", "note_shelter-place": "Nights"}).status_code
        == 302
    )
    assert ganja.post(url, {"hours_shelter-place": "2"}).status_code == 302

    page = browse(trainer).get(url).content.decode()

    assert "Situation shelter-place" in page
    assert f"{officer.agency.name}: 6 h (Nights)" in page
    assert "4 h" in page  # the median of 6 and 2, and the promise in force
    # A participant sees her own proposals only.
    assert f"{outsider.agency.name}" not in police.get(url).content.decode()


def test_bad_hours_get_a_field_message(browse, workshop, officer):
    client = _joined(browse, officer, workshop)
    response = client.post(f"/training/{workshop.pk}/workshop/", {"hours_shelter-place": "-3"})
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()


def test_a_facilitator_who_may_draft_carries_them_into_a_protocol_draft(
    browse, workshop, trainer, officer, in_force
):
    trainer.roles.add(*type(trainer.roles.first()).objects.filter(code="administrator"))
    _joined(browse, officer, workshop).post(
        f"/training/{workshop.pk}/workshop/", {"hours_shelter-place": "6"}
    )

    response = browse(trainer).post(
        f"/training/{workshop.pk}/workshop/carry/", {"hours_shelter-place": "6"}
    )

    assert response.status_code == 302
    draft = ProtocolVersion.objects.get(status=ProtocolVersion.Status.DRAFT)
    hours = {p["id"]: p["response_hours"] for p in draft.content["pathways"]}
    assert hours["shelter-place"] == 6
    assert hours["police-any"] == 72  # what nobody changed stays as in force
    assert draft.created_by == trainer
    assert response["Location"] == f"/admin/protocol/{draft.number}/"


def test_a_facilitator_who_may_not_draft_cannot_carry(browse, workshop, trainer):
    response = browse(trainer).post(
        f"/training/{workshop.pk}/workshop/carry/", {"hours_shelter-place": "6"}
    )
    assert response.status_code == 404
    assert not ProtocolVersion.objects.filter(status=ProtocolVersion.Status.DRAFT).exists()


def test_a_session_without_the_workshop_has_no_workshop_page(browse, session, trainer):
    assert browse(trainer).get(f"/training/{session.pk}/workshop/").status_code == 404
