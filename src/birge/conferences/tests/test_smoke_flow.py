from datetime import timedelta

from django.utils import timezone

from birge.cases.models import CircleMember
from birge.conferences import services
from birge.conferences.models import ConferenceReferral


def test_the_whole_flow(chair, coordinator, social_worker, social, police, in_session, item):
    services.item_discuss(
        actor=chair, item=item, summary="s" * 20, victim_view="v" * 20, risks="r" * 20
    )
    action = services.action_add(
        actor=chair,
        item=item,
        text="Arrange a shelter place",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim"],
    )
    services.meeting_close(actor=chair, meeting=in_session)
    assert CircleMember.objects.filter(case=item.case, agency=social, route="conference").exists()
    item.referral.refresh_from_db()
    assert item.referral.status == ConferenceReferral.Status.HEARD
    assert action.status == "open"
