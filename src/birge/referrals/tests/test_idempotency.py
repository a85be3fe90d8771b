"""Idempotency-Key on the referrals API's create: a retry sends one referral."""

from birge.referrals.models import Referral
from birge.referrals.tests.conftest import SUMMARY

JSON = "application/json"


def _refer(client, case, service, key: str, summary: str = SUMMARY):
    return client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": service.pk, "summary": summary},
        content_type=JSON,
        headers={"Idempotency-Key": key},
    )


def test_a_repeated_referral_is_sent_once(api, officer, case, shelter_place):
    client = api(officer)

    first = _refer(client, case, shelter_place, "ref-1")
    again = _refer(client, case, shelter_place, "ref-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.filter(case=case).count() == 1


def test_the_same_key_with_another_summary_is_a_422(api, officer, case, shelter_place):
    client = api(officer)
    _refer(client, case, shelter_place, "ref-1")

    other = _refer(client, case, shelter_place, "ref-1", summary=SUMMARY + " Also legal aid.")

    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()
    assert Referral.objects.filter(case=case).count() == 1


def test_another_users_key_is_another_key(api, officer, colleague, case, shelter_place):
    _refer(api(officer), case, shelter_place, "ref-1")

    hers = _refer(api(colleague), case, shelter_place, "ref-1")

    assert hers.status_code == 201
    assert "Idempotent-Replayed" not in hers
    assert Referral.objects.filter(case=case).count() == 2
