"""One world with a case in it and something behind every kind of route parameter.

Agency A, the Baku police (`police`), opened the case and coordinates it: the victim with a
phone, an address and a shelter where she stays, the perpetrator with a phone, a child, an
incident with a place and injuries. The case is at high risk; a risk conference (series,
meeting in session, research, an action) heard it; A referred it to the shelter (agency B),
which accepted; there is a safety plan. How the shelter joined the circle, and which
consent scopes cover it, is each test's choice (`world(scopes=...)`).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from birge.agencies.tests.factories import UserFactory
from birge.cases import services as case_services
from birge.cases.models import Part
from birge.cases.tests.factories import register_case
from birge.conferences import services as conference_services
from birge.conferences.models import ConferenceReferral
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
from birge.justice.tests.factories import order_breached
from birge.justice.tests.factories_proceedings import justice_ids
from birge.referrals import services as referral_services
from birge.referrals.tests.conftest import assess, protocol, refer, shelter_place  # noqa: F401
from birge.safety import services as safety_services

VICTIM_PHONE = "+994 50 777 12 34"
PERPETRATOR_PHONE = "+994 55 888 56 78"
ADDRESS = "Zərifə Əliyeva küçəsi 77, mənzil 3"
SHELTER = "Qızılgül sığınacağı, otaq 9"
PLACE = "Babək prospekti 41, həyətdə"

# What each scope guards, as the distinctive text a response would carry.
SCOPED_TEXT = {
    "contact": ["777 12 34", "888 56 78"],
    "location": ["Zərifə Əliyeva küçəsi 77", "Qızılgül sığınacağı", "Babək prospekti 41"],
}


@pytest.fixture
def api_client():
    def api_client(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api_client


@pytest.fixture
def world(
    officer,
    coordinator,  # noqa: F811
    shelter,  # noqa: F811
    shelter_worker,  # noqa: F811
    shelter_place,  # noqa: F811
    protocol,  # noqa: F811
    assess,  # noqa: F811
    chair,  # noqa: F811
    series,  # noqa: F811
    social_worker,  # noqa: F811
    other_agency,
):
    """`world(scopes=[...])` builds it; the shelter joins on a consent with those scopes
    (`scopes=None`: on high risk, with no consent at all)."""

    def build(*, scopes):
        today = timezone.localdate()
        consent = None
        if scopes is not None:
            consent = {
                "agencies": [shelter],
                "given_on": today,
                "valid_until": today + timedelta(days=180),
                "share_case_record": True,
                **{f"share_{s}": True for s in scopes},
            }
        case = register_case(
            officer,
            victim={"phone": VICTIM_PHONE, "address": ADDRESS, "shelter_location": SHELTER},
            perpetrator={"phone": PERPETRATOR_PHONE},
            children=[{"first_name": "Nuray", "last_name": "Əliyeva", "sex": "female"}],
            incident={"place": PLACE, "injuries": True},
            consent=consent,
        )
        assess(officer, case, "threat_to_kill")
        case.refresh_from_db()
        referral = referral_services.referral_refer(
            actor=officer,
            case=case,
            service=shelter_place,
            summary="She needs a bed tonight.",
            send=True,
        )
        # On consent, or (without one) on the case's high risk.
        referral_services.referral_accept(actor=shelter_worker, referral=referral)
        case.refresh_from_db()
        victim = case.participants.get(part=Part.VICTIM)
        plan = safety_services.safety_plan_save(
            actor=officer,
            case=case,
            victim=victim,
            sections={"contacts": "Call the shelter's number at any hour."},
            language="az",
            version=0,
        )
        queued = ConferenceReferral.objects.get(case=case, series=series)
        meeting = conference_services.meeting_plan(
            actor=chair, series=series, starts_at=timezone.now() + timedelta(days=1), place="Room 4"
        )
        item = conference_services.agenda_add(actor=chair, meeting=meeting, referral=queued)
        conference_services.meeting_open(actor=chair, meeting=meeting)
        for user in (chair, coordinator, shelter_worker):
            conference_services.meeting_attend(
                actor=user, meeting=meeting, accept=True, language="en"
            )
        conference_services.research_add(
            actor=shelter_worker, item=item, topic="incidents", text="She stayed with us in May."
        )
        action = conference_services.action_add(
            actor=chair,
            item=item,
            text="Visit her weekly",
            agency=shelter,
            person=shelter_worker,
            due_on=today + timedelta(days=7),
            concerns=["victim"],
        )
        outsider_coordinator = UserFactory(agency=other_agency, roles=["case_coordinator"])
        grant = case_services.emergency_access_start(
            user=outsider_coordinator,
            reference=case.reference,
            reason="She arrived at the Ganja police station at night.",
        )
        declaration = case_services.conflict_declare(
            user=shelter_worker, first_name="Nobody", last_name="Unrelated", birth_date=None
        )
        justice = justice_ids(case=case, actor=coordinator, provider=shelter)
        order, breach = order_breached(case, applicant=coordinator, breacher=officer, places=PLACE)
        case.refresh_from_db()
        return {
            "case": case,
            "emergency_user": outsider_coordinator,
            "ids": {
                "case_id": case.pk,
                "victim_id": victim.pk,
                "perpetrator_id": case.participants.get(part=Part.PERPETRATOR).pk,
                "plan_id": plan.pk,
                "assessment_id": case.assessments.get().pk,
                "referral_id": referral.pk,
                "series_id": series.pk,
                "meeting_id": meeting.pk,
                "item_id": item.pk,
                "action_id": action.pk,
                "grant_id": grant.pk,
                "declaration_id": declaration.pk,
                "order_id": order.pk,
                "breach_id": breach.pk,
                "consent_id": case.consents.first().pk if case.consents.exists() else 0,
                "member_id": case.circle.get(agency=shelter, removed_at__isnull=True).pk,
                "service_id": shelter_place.pk,
                "number": protocol.number,
                "instrument_id": "birge-checklist",
                "version": "2",
                "agency_id": shelter.pk,
                "pk": shelter.pk,
                "region_id": shelter.region_id,
                "user_id": shelter_worker.pk,
                "role_id": 1,
                "uidb64": "MQ",
                "token": "set-password",
                **justice,
                # A training session holds nothing of a case; one that does not exist is a 404.
                "training_id": 1,
                "stage_id": "first-contact",
                "language": "en",
            },
        }

    return build
