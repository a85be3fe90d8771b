"""The circle: agencies join a case only on a legal basis, consent or high risk with a
written reason, and leave it when the consent they joined on is withdrawn."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.cases import services
from birge.cases.models import CircleMember
from birge.cases.tests.factories import consent_for, register_case
from birge.notifications.models import Notification
from birge.risk.services import assessment_judgement

NO_CONSENT = "No consent of the victim covers this agency, and the risk is not high."


def _share(client, case, agency, reason=""):
    return client.post(f"/cases/{case.pk}/share/", {"agency": agency.pk, "reason": reason})


def _members(case):
    return set(
        CircleMember.objects.filter(case=case, removed_at__isnull=True).values_list(
            "agency__code", flat=True
        )
    )


def _set_risk(client, case, level):
    response = client.post(
        f"/cases/{case.pk}/risk/", {"level": level, "reason": "Threats to kill, a weapon at home."}
    )
    assert response.status_code == 302


def test_a_case_registered_by_the_officer_is_visible_to_her_colleague(browse, colleague, case):
    response = browse(colleague).get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_the_shelter_does_not_see_the_case_until_it_is_shared(browse, shelter_worker, case):
    client = browse(shelter_worker)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert case.reference not in client.get("/cases/").content.decode()


def test_sharing_under_a_consent_that_covers_the_shelter_lets_it_in(
    browse, officer, shelter, shelter_worker, coordinator
):
    case = register_case(officer, consent=consent_for(shelter))

    response = _share(browse(officer), case, shelter)

    assert response.status_code == 302
    member = CircleMember.objects.get(case=case, agency=shelter)
    assert member.basis == CircleMember.Basis.CONSENT
    assert member.consent == case.consents.get()
    assert AuditEvent.objects.filter(action="case.shared", object_id=str(case.pk)).exists()
    shelter_client = browse(shelter_worker)
    assert shelter_client.get(f"/cases/{case.pk}/").status_code == 200
    assert case.reference in shelter_client.get("/cases/").content.decode()


@pytest.mark.parametrize("level", [None, "standard", "medium"])
def test_sharing_without_consent_is_refused_when_the_risk_is_not_high(
    browse, officer, outsider, other_agency, shelter, case, level
):
    client = browse(officer)
    if level:
        _set_risk(client, case, level)

    response = _share(client, case, other_agency, reason="She moved to Ganja last week.")

    assert response.status_code == 400
    assert NO_CONSENT in response.content.decode()
    assert _members(case) == {"police-baku"}
    assert not AuditEvent.objects.filter(action__startswith="case.shared").exists()
    assert browse(outsider).get(f"/cases/{case.pk}/").status_code == 404


def test_a_consent_for_another_agency_does_not_cover_this_one(
    browse, officer, other_agency, shelter
):
    case = register_case(officer, consent=consent_for(shelter))

    response = _share(browse(officer), case, other_agency)

    assert response.status_code == 400
    assert NO_CONSENT in response.content.decode()
    assert _members(case) == {"police-baku"}


def test_an_expired_consent_covers_no_one(browse, officer, shelter, time_machine):
    case = register_case(officer, consent=consent_for(shelter, days=1))
    time_machine.move_to(timezone.now() + timedelta(days=3))

    response = _share(browse(officer), case, shelter)

    assert response.status_code == 400
    assert NO_CONSENT in response.content.decode()
    assert _members(case) == {"police-baku"}


@pytest.mark.parametrize("reason", ["", "too short"])
def test_high_risk_sharing_without_consent_needs_a_reason_of_ten_characters(
    browse, officer, other_agency, case, reason
):
    client = browse(officer)
    _set_risk(client, case, "high")

    response = _share(client, case, other_agency, reason=reason)

    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    assert _members(case) == {"police-baku"}
    assert not AuditEvent.objects.filter(action="case.shared_without_consent").exists()


@pytest.mark.parametrize("level", ["high", "critical"])
def test_high_risk_sharing_without_consent_is_allowed_logged_and_told_to_the_coordinator(
    browse, officer, coordinator, outsider, other_agency, case, level
):
    client = browse(officer)
    _set_risk(client, case, level)
    reason = "He was seen near the Ganja shelter with a knife."

    response = _share(client, case, other_agency, reason=reason)

    assert response.status_code == 302
    member = CircleMember.objects.get(case=case, agency=other_agency)
    assert member.basis == CircleMember.Basis.HIGH_RISK
    assert member.reason == reason
    event = AuditEvent.objects.get(action="case.shared_without_consent")
    assert event_reason(event) == reason
    assert event.actor == officer
    assert event.object_id == str(case.pk)
    notice = Notification.objects.get(kind="case.shared_without_consent")
    assert notice.recipient == coordinator
    assert reason in browse(coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert browse(outsider).get(f"/cases/{case.pk}/").status_code == 200


def test_withdrawing_the_consent_removes_the_agencies_that_joined_on_it(
    browse, officer, coordinator, shelter, shelter_worker, other_agency, outsider
):
    case = register_case(officer, consent=consent_for(shelter))
    services.case_share(actor=officer, case=case, agency=shelter)
    assessment_judgement(actor=officer, case=case, level="high", reason="Threats to kill.")
    services.case_share(
        actor=officer, case=case, agency=other_agency, reason="He moved to Ganja with her."
    )
    consent = case.consents.get()

    response = browse(coordinator).post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw/")

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert _members(case) == {"police-baku", "police-ganja"}
    assert browse(shelter_worker).get(f"/cases/{case.pk}/").status_code == 404
    # The agency that joined on high risk did not join on that consent, and stays.
    assert browse(outsider).get(f"/cases/{case.pk}/").status_code == 200


def test_the_coordinator_removes_an_agency_from_the_circle_with_a_reason(
    browse, officer, coordinator, shelter, shelter_worker
):
    case = register_case(officer, consent=consent_for(shelter))
    member = services.case_share(actor=officer, case=case, agency=shelter)
    client = browse(coordinator)
    url = f"/cases/{case.pk}/circle/{member.pk}/remove/"

    assert client.post(url, {"reason": ""}).status_code == 400
    assert _members(case) == {"police-baku", "shelter-baku"}
    assert client.post(url, {"reason": "The victim left the shelter."}).status_code == 302

    assert _members(case) == {"police-baku"}
    assert browse(shelter_worker).get(f"/cases/{case.pk}/").status_code == 404
