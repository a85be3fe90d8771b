"""Idempotency-Key on the conference API's creates: a referral, a meeting, research and
an action sent twice are each recorded once; another body under the same key is a 422."""

from datetime import timedelta

from django.utils import timezone

from birge.conferences.models import ConferenceAction, ConferenceReferral, Meeting

BASE = "/api/v1/conferences"
REASON = "He was released yesterday and has been seen outside her building twice."


def _post(client, url, data, key):
    return client.post(url, data, content_type="application/json", headers={"Idempotency-Key": key})


def _twice(client, url, data, key="key-1"):
    first = _post(client, url, data, key)
    again = _post(client, url, data, key)
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    return first


def test_a_repeated_conference_referral_queues_the_case_once(api, coordinator, series, case):
    _twice(api(coordinator), f"{BASE}/referrals/", {"case": case.pk, "reason": REASON})

    assert ConferenceReferral.objects.filter(case=case).count() == 1


def test_a_repeated_meeting_is_planned_once(api, chair, series):
    starts_at = (timezone.now() + timedelta(days=7)).isoformat()
    before = Meeting.objects.filter(series=series).count()

    _twice(api(chair), f"{BASE}/series/{series.pk}/meetings/", {"starts_at": starts_at})

    assert Meeting.objects.filter(series=series).count() == before + 1


def test_repeated_research_is_recorded_once(api, coordinator, meeting, item):
    url = f"{BASE}/meetings/{meeting.pk}/items/{item.pk}/research/"

    _twice(api(coordinator), url, {"topic": "incidents", "text": "Two calls."})

    assert item.research.count() == 1


def test_a_repeated_action_is_agreed_once(api, chair, coordinator, police, in_session, item):
    url = f"{BASE}/meetings/{in_session.pk}/items/{item.pk}/actions/"
    client = api(chair)
    _post(
        client,
        f"{BASE}/meetings/{in_session.pk}/items/{item.pk}/discussion/",
        {"summary": "Stalking after release.", "victim_view": "She is afraid.", "risks": "High."},
        "discussion-1",
    )
    due_on = (timezone.localdate() + timedelta(days=2)).isoformat()
    wanted = {
        "text": "Visit her",
        "person": coordinator.pk,
        "agency": police.pk,
        "concerns": ["victim"],
        "due_on": due_on,
    }

    _twice(client, url, wanted, key="action-1")
    other = _post(client, url, {**wanted, "text": "Call her"}, "action-1")

    assert other.status_code == 422
    assert ConferenceAction.objects.filter(item=item).count() == 1
