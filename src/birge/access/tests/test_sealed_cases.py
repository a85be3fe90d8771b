"""A sealed case: only the users named on the seal and the coordinator see it; everyone
else in the circle gets 404 and no longer finds it in lists."""

import pytest

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.cases.models import Case
from birge.cases.tests.factories import consent_for, register_case


@pytest.fixture
def shared(officer, coordinator, shelter):
    from birge.cases import services

    case = register_case(officer, consent=consent_for(shelter))
    services.case_share(actor=officer, case=case, agency=shelter)
    return case


def _seal(client, case, users=(), reason="The perpetrator is a police officer in Baku."):
    return client.post(
        f"/cases/{case.pk}/seal/", {"reason": reason, "users": [u.pk for u in users]}
    )


def _lists(client, case) -> bool:
    return case.reference in client.get("/cases/").content.decode()


def test_only_the_named_users_and_the_coordinator_see_a_sealed_case(
    browse, officer, colleague, coordinator, shelter_worker, shared
):
    assert _seal(browse(coordinator), shared, users=[officer]).status_code == 302

    for user in (officer, coordinator):
        client = browse(user)
        assert client.get(f"/cases/{shared.pk}/").status_code == 200
        assert _lists(client, shared)
    for user in (colleague, shelter_worker):
        client = browse(user)
        assert client.get(f"/cases/{shared.pk}/").status_code == 404
        assert client.get(f"/cases/{shared.pk}/print/").status_code == 404
        assert not _lists(client, shared)
    event = AuditEvent.objects.get(action="case.sealed")
    assert event_reason(event) == "The perpetrator is a police officer in Baku."


def test_sealing_needs_a_reason(browse, coordinator, colleague, shared):
    response = _seal(browse(coordinator), shared, reason="")

    assert response.status_code == 400
    assert not Case.objects.get(pk=shared.pk).sealed
    assert browse(colleague).get(f"/cases/{shared.pk}/").status_code == 200


def test_a_frontline_officer_cannot_seal(browse, officer, colleague, shared):
    assert _seal(browse(officer), shared).status_code == 404

    assert not Case.objects.get(pk=shared.pk).sealed


def test_lifting_the_seal_lets_the_circle_back_in(browse, coordinator, colleague, shared):
    client = browse(coordinator)
    _seal(client, shared)
    assert browse(colleague).get(f"/cases/{shared.pk}/").status_code == 404

    response = client.post(f"/cases/{shared.pk}/unseal/", {"reason": "He was dismissed."})

    assert response.status_code == 302
    assert browse(colleague).get(f"/cases/{shared.pk}/").status_code == 200
