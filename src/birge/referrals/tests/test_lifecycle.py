"""The whole referral lifecycle with the cast, mostly through the pages: a police officer
refers a high-risk victim to the shelter, the shelter worker accepts, works and completes;
who joins the case's circle on acceptance; what is audited and who is told."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.cases.models import CircleMember
from birge.cases.services import case_share, consent_record
from birge.cases.tests.factories import consent_for, register_case
from birge.notifications.models import Notification
from birge.referrals import services
from birge.referrals.models import Referral
from birge.referrals.tests.conftest import SUMMARY


def _in_circle(case, agency) -> CircleMember | None:
    return CircleMember.objects.filter(case=case, agency=agency, removed_at__isnull=True).first()


def _actions(case, referral) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="case", object_id=str(case.pk), data__referral=referral.pk
        )
        .exclude(action="referral.viewed")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_police_officer_refers_a_high_risk_victim_and_the_shelter_accepts(
    browse, officer, coordinator, shelter, shelter_worker, shelter_place, high_risk_case, protocol
):
    case = high_risk_case
    police = browse(officer)
    form = police.get(f"/referrals/new/{case.pk}/?kind=shelter")
    assert form.status_code == 200
    assert "5 free places" in form.content.decode()

    response = police.post(
        f"/referrals/new/{case.pk}/?kind=shelter",
        {"service": shelter_place.pk, "summary": SUMMARY, "send": "1"},
    )

    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.status == Referral.Status.SENT
    assert referral.to_agency_id == shelter.pk and referral.from_agency_id == officer.agency_id
    assert referral.due_at == referral.sent_at + timedelta(hours=4)
    assert (referral.protocol_version, referral.pathway) == (protocol, "shelter-place")
    assert referral.risk_assessment.final_level == "high"
    assert Notification.objects.filter(
        recipient=shelter_worker, kind="referral.received", url=f"/referrals/{referral.pk}/"
    ).exists()

    shelter_client = browse(shelter_worker)
    inbox = shelter_client.get("/referrals/").content.decode()
    assert f"/referrals/{referral.pk}/" in inbox
    assert 'data-label="Answer due"' in inbox  # the rows stack on a phone
    page = shelter_client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Aysel" in page and escape(SUMMARY) in page and "High" in page
    assert f'action="/referrals/{referral.pk}/accept/"' in page

    response = shelter_client.post(
        f"/referrals/{referral.pk}/accept/", {"version": referral.version}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.responded_by == shelter_worker and referral.responded_at is not None
    member = _in_circle(case, shelter)
    assert member.route == CircleMember.Route.REFERRAL
    assert member.basis == CircleMember.Basis.HIGH_RISK
    assert f"Referral {referral.pk}" in member.reason
    # Now in the circle, the shelter opens the whole case.
    assert shelter_client.get(f"/cases/{case.pk}/").status_code == 200
    for person in (officer, coordinator):
        assert Notification.objects.filter(recipient=person, kind="referral.accepted").exists()

    shelter_client.post(f"/referrals/{referral.pk}/start/")
    shelter_client.post(f"/referrals/{referral.pk}/complete/")

    referral.refresh_from_db()
    assert referral.status == Referral.Status.COMPLETED
    assert referral.started_at and referral.completed_at
    assert Notification.objects.filter(recipient=officer, kind="referral.completed").exists()
    assert _actions(case, referral) == [
        "referral.created",
        "referral.sent",
        "referral.accepted",
        "referral.started",
        "referral.completed",
    ]
    accepted = AuditEvent.objects.get(action="referral.accepted")
    assert accepted.data == {
        "referral": referral.pk,
        "agency": shelter.pk,
        "circle": "high_risk",
        "place_taken": True,
    }
    assert accepted.actor == shelter_worker and accepted.object_id == str(case.pk)
    assert AuditEvent.objects.filter(
        action="case.shared_without_consent", object_id=str(case.pk)
    ).exists()


def test_accepting_with_consent_adds_the_agency_on_that_consent(
    officer, coordinator, shelter, shelter_worker, refer
):
    case = register_case(officer, consent=consent_for(shelter))
    referral = refer(officer, case)

    services.referral_accept(actor=shelter_worker, referral=referral)

    member = _in_circle(case, shelter)
    assert member.basis == CircleMember.Basis.CONSENT and member.consent is not None
    assert AuditEvent.objects.get(action="referral.accepted").data["circle"] == "consent"
    assert not Notification.objects.filter(kind="referral.consent_needed").exists()


def test_accepting_without_consent_at_standard_risk_keeps_the_agency_out_of_the_circle(
    browse, officer, coordinator, shelter, shelter_worker, case, refer
):
    referral = refer(officer, case)

    response = browse(shelter_worker).post(f"/referrals/{referral.pk}/accept/", follow=True)

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert _in_circle(case, shelter) is None
    assert "not in the case&#x27;s circle" in response.content.decode()
    assert browse(shelter_worker).get(f"/cases/{case.pk}/").status_code == 404
    for person in (officer, coordinator):
        assert Notification.objects.filter(
            recipient=person, kind="referral.consent_needed"
        ).exists()
    assert AuditEvent.objects.get(action="referral.accepted").data["circle"] == "consent_needed"
    # The referring side's page says what to do about it.
    page = browse(officer).get(f"/referrals/{referral.pk}/").content.decode()
    assert f"/cases/{case.pk}/consents/new/" in page


def test_an_agency_already_in_the_circle_stays_as_it_was(officer, shelter, shelter_worker, refer):
    case = register_case(officer, consent=consent_for(shelter))
    case_share(actor=officer, case=case, agency=shelter)
    referral = refer(officer, case)

    services.referral_accept(actor=shelter_worker, referral=referral)

    assert CircleMember.objects.filter(case=case, agency=shelter).count() == 1
    assert AuditEvent.objects.get(action="referral.accepted").data["circle"] == "already"


def test_consent_recorded_later_does_not_change_a_standing_acceptance(
    officer, shelter, shelter_worker, case, refer
):
    """Acceptance is one moment; afterwards the coordinator shares the case as usual."""
    referral = refer(officer, case)
    services.referral_accept(actor=shelter_worker, referral=referral)
    consent_record(actor=officer, case=case, **consent_for(shelter))

    assert _in_circle(case, shelter) is None
    case_share(actor=officer, case=case, agency=shelter)
    assert _in_circle(case, shelter).basis == CircleMember.Basis.CONSENT


def test_the_shelter_declines_with_a_reason_and_the_referrer_is_told(
    browse, officer, shelter_worker, case, refer
):
    referral = refer(officer, case)
    client = browse(shelter_worker)
    assert client.get(f"/referrals/{referral.pk}/decline/").status_code == 200

    response = client.post(
        f"/referrals/{referral.pk}/decline/",
        {"reason": "No place for a boy of 14.", "version": referral.version},
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    assert referral.decline_reason == "No place for a boy of 14."
    assert referral.responded_at is not None
    assert Notification.objects.filter(recipient=officer, kind="referral.declined").exists()
    event = AuditEvent.objects.get(action="referral.declined")
    assert event_reason(event) == "No place for a boy of 14."
    assert event.data == {"referral": referral.pk, "reason": event.data["reason"]}


def test_the_referrer_withdraws_and_the_shelter_is_told(
    browse, officer, shelter_worker, case, refer
):
    referral = refer(officer, case)

    response = browse(officer).post(
        f"/referrals/{referral.pk}/withdraw/", {"reason": "She went to her mother's."}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN and referral.withdrawn_at
    assert Notification.objects.filter(recipient=shelter_worker, kind="referral.withdrawn").exists()
    assert (
        event_reason(AuditEvent.objects.get(action="referral.withdrawn"))
        == "She went to her mother's."
    )


def test_a_draft_is_sent_from_its_page(browse, officer, shelter_worker, case, refer, protocol):
    draft = refer(officer, case, send=False)
    assert draft.status == Referral.Status.DRAFT and draft.due_at is None
    # A draft stays with the referring side.
    assert browse(shelter_worker).get(f"/referrals/{draft.pk}/").status_code == 404

    browse(officer).post(f"/referrals/{draft.pk}/send/", {"version": draft.version})

    draft.refresh_from_db()
    assert draft.status == Referral.Status.SENT
    assert draft.due_at == draft.sent_at + timedelta(hours=4)
    assert browse(shelter_worker).get(f"/referrals/{draft.pk}/").status_code == 200


def test_the_case_page_section_lists_referrals_and_offers_refer(rf, officer, case, refer):
    from django.template import Context, Template

    referral = refer(officer, case)
    request = rf.get("/")
    request.user = officer

    html = Template("{% load referrals %}{% referrals_section case %}").render(
        Context({"request": request, "case": case})
    )

    assert f"/referrals/{referral.pk}/" in html
    assert f"/referrals/new/{case.pk}/" in html


def test_the_header_link_counts_what_awaits_an_answer(browse, officer, shelter_worker, case, refer):
    client = browse(shelter_worker)
    before = client.get("/referrals/").content.decode()
    refer(officer, case)
    refer(officer, case)

    after = client.get("/referrals/").content.decode()

    link = '<li><a href="/referrals/">'
    assert link in before and f'{link}Referrals <span class="count"' not in before
    assert (
        f'{link}Referrals <span class="count" aria-label="2 awaiting an answer">2</span>' in after
    )


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_the_referring_side_cannot_answer_its_own_referral(browse, officer, case, refer, answer):
    referral = refer(officer, case)

    response = browse(officer).post(f"/referrals/{referral.pk}/{answer}/", {"reason": "x" * 20})

    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


@pytest.mark.parametrize(
    ("language", "sender", "receiver"), [("az", "Kimdən", "Kimə"), ("ru", "От кого", "Кому")]
)
def test_from_and_to_name_the_agencies_not_dates(
    browse, officer, shelter_worker, case, refer, protocol, language, sender, receiver
):
    referral = refer(officer, case)
    browser = browse(shelter_worker)
    browser.cookies["birge_language"] = language

    page = browser.get(f"/referrals/{referral.pk}/").content.decode()

    assert f"<dt>{sender}</dt>" in page and f"<dt>{receiver}</dt>" in page
    assert "Дата с" not in page and "Başlanğıc tarixi" not in page


def _free_places(client, service) -> str:
    """The "Free places" cell of the service on the services page."""
    page = client.get(reverse("agencies:service_list")).content.decode()
    row = page.split(service.name_en, 1)[1]
    return row.split('data-label="Free places">', 1)[1].split("<", 1)[0].strip()


def test_accepting_a_shelter_referral_takes_a_place_and_withdrawing_gives_it_back(
    browse, officer, shelter_worker, shelter_place, case, refer
):
    referral = refer(officer, case)
    shelter_client = browse(shelter_worker)
    assert _free_places(shelter_client, shelter_place) == "5"

    shelter_client.post(f"/referrals/{referral.pk}/accept/", {"version": referral.version})

    assert _free_places(shelter_client, shelter_place) == "4"
    form = browse(officer).get(f"/referrals/new/{case.pk}/?kind=shelter").content.decode()
    assert "4 free places" in form

    browse(officer).post(f"/referrals/{referral.pk}/withdraw/", {"reason": "She went home."})

    assert _free_places(shelter_client, shelter_place) == "5"


def test_a_full_shelter_stays_at_no_free_place_when_it_accepts(
    browse, officer, shelter_worker, shelter_place, case, refer
):
    shelter_place.capacity = 0
    shelter_place.save()
    referral = refer(officer, case)

    response = browse(shelter_worker).post(
        f"/referrals/{referral.pk}/accept/", {"version": referral.version}
    )

    assert response.status_code == 302
    shelter_place.refresh_from_db()
    assert shelter_place.capacity == 0
    assert AuditEvent.objects.get(action="referral.accepted").data["place_taken"] is False
