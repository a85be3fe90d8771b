"""Perpetrator programmes: referral to a provider of the directory, attendance, and the end
reported back to the circle (identifiers only)."""

from datetime import timedelta

import pytest
from django.test import Client
from knox.models import AuthToken

from birge.audit.models import AuditEvent
from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    browse,
    shelter,
    shelter_worker,
)
from birge.justice.models import ProgrammeReferral
from birge.justice.tests.factories_proceedings import (  # noqa: F401 - the cast
    TODAY,
    investigator,
    justice_case,
    perpetrator_of,
    programme,
    prosecution,
    prosecutor,
    provider,
    social,
    social_coordinator,
)
from birge.notifications.models import Notification


@pytest.fixture
def api():
    def api(user) -> Client:
        _, token = AuthToken.objects.create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="en")

    return api


def test_a_perpetrator_is_referred_to_a_programme_from_the_case_page(
    browse,
    social_coordinator,
    justice_case,
    provider,
):
    client = browse(social_coordinator)
    form = {
        "perpetrator": str(justice_case.participants.get(part="perpetrator").pk),
        "provider": str(provider.pk),
        "referred_on": TODAY().isoformat(),
        "sessions_planned": "10",
        "note": "",
    }

    response = client.post(f"/justice/cases/{justice_case.pk}/programmes/new/", form)

    referral = ProgrammeReferral.objects.get()
    assert response.status_code == 302
    assert (referral.provider, referral.status, referral.sessions_planned) == (
        provider,
        "referred",
        10,
    )
    page = client.get(f"/cases/{justice_case.pk}/").content.decode()
    assert provider.name_en in page and "Referred" in page


def test_only_an_agency_offering_a_programme_is_a_provider(
    browse,
    investigator,
    justice_case,
    shelter,
):
    form = {
        "perpetrator": str(justice_case.participants.get(part="perpetrator").pk),
        "provider": str(shelter.pk),
        "referred_on": TODAY().isoformat(),
    }

    response = browse(investigator).post(f"/justice/cases/{justice_case.pk}/programmes/new/", form)

    assert response.status_code == 400
    assert "provider" in response.context["form"].errors


def test_attendance_then_completion_is_reported_to_the_circle(
    browse,
    investigator,
    prosecutor,
    social_coordinator,
    shelter_worker,
    programme,
):
    client = browse(investigator)
    url = f"/justice/programmes/{programme.pk}/"

    assert (
        client.post(
            url, {"step": "attendance", "sessions_attended": "4", "version": programme.version}
        ).status_code
        == 302
    )
    programme.refresh_from_db()
    assert (programme.status, programme.sessions_attended) == ("attending", 4)
    response = client.post(
        url,
        {
            "step": "end",
            "status": "completed",
            "ended_on": TODAY().isoformat(),
            "sessions_attended": "12",
        },
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.status, programme.sessions_attended, programme.ended_on) == (
        "completed",
        12,
        TODAY(),
    )
    told = {
        n.recipient.username: n
        for n in Notification.objects.filter(kind="justice.programme_completed")
    }
    assert {"social_coordinator", "prosecutor", "shelter_worker"} <= set(told)
    assert "investigator" not in told  # she recorded it
    assert set(told["prosecutor"].params) == {"reference", "agency_id"}
    assert AuditEvent.objects.filter(action="justice.programme_ended").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "completed", "ended_on": "2999-01-01"}, "ended_on"),
        ({"status": "completed", "ended_on": "2000-01-01"}, "ended_on"),
        ({"status": "declined", "ended_on": "TODAY", "sessions_attended": "3"}, "status"),
        ({"status": "referred", "ended_on": "TODAY"}, "status"),
    ],
)
def test_a_wrong_end_gets_a_message_by_its_field(browse, investigator, programme, body, field):
    body = {k: (TODAY().isoformat() if v == "TODAY" else v) for k, v in body.items()}

    response = browse(investigator).post(
        f"/justice/programmes/{programme.pk}/", {"step": "end", **body}
    )

    assert response.status_code == 400
    assert field in response.context["end"].errors
    programme.refresh_from_db()
    assert programme.status == "referred"


def test_a_drop_out_over_the_api(api, investigator, social_coordinator, programme):
    client = api(investigator)
    base = f"/api/v1/programmes/{programme.pk}/"

    attended = client.post(base + "attendance/", {"sessions_attended": 2}, "application/json")
    fewer = client.post(base + "attendance/", {"sessions_attended": 1}, "application/json")
    ended = client.post(
        base + "end/",
        {"status": "dropped_out", "ended_on": TODAY().isoformat()},
        "application/json",
    )
    again = client.post(
        base + "end/", {"status": "completed", "ended_on": TODAY().isoformat()}, "application/json"
    )

    assert attended.status_code == 200 and attended.json()["status"] == "attending"
    assert fewer.status_code == 400 and "sessions_attended" in fewer.json()
    assert ended.status_code == 200 and ended.json()["status"] == "dropped_out"
    assert again.status_code == 400
    assert Notification.objects.filter(
        recipient=social_coordinator, kind="justice.programme_dropped_out"
    ).exists()


def test_an_api_referral_is_idempotent(api, investigator, justice_case, provider):
    client = api(investigator)
    body = {
        "perpetrator": perpetrator_of(justice_case).pk,
        "provider": provider.pk,
        "referred_on": (TODAY() - timedelta(days=1)).isoformat(),
        "mandated": True,
    }
    url = f"/api/v1/cases/{justice_case.pk}/programmes/"

    first = client.post(url, body, "application/json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = client.post(url, body, "application/json", HTTP_IDEMPOTENCY_KEY="p-1")
    listed = client.get(url).json()

    assert first.status_code == 201 and again.json() == first.json()
    assert len(listed) == 1 and listed[0]["mandated"] is True


def test_a_user_without_justice_record_may_not_refer(browse, officer, justice_case, police):
    """A frontline officer of the police sees the case (her agency is in the circle) but
    does not record its justice side."""
    client = browse(officer)

    assert client.get(f"/justice/cases/{justice_case.pk}/programmes/new/").status_code == 404
    assert client.get(f"/cases/{justice_case.pk}/").status_code == 200
