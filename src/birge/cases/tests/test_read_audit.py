"""Reads leave a trace: every view of a case page or its print writes case.viewed; the
coordinator sees who accessed the case; reading many cases one is not assigned to alerts
the auditors, once a day."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.tests.factories import register_case
from birge.jobs.registry import jobs_run
from birge.notifications.models import Notification


def _views(user):
    return AuditEvent.objects.filter(action="case.viewed", actor=user).order_by("id")


def test_each_view_of_the_page_and_the_print_is_recorded_with_its_channel(browse, colleague, case):
    client = browse(colleague)

    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/print/")

    views = list(_views(colleague))
    assert [v.data["channel"] for v in views] == ["page", "page", "print"]
    assert {v.object_id for v in views} == {str(case.pk)}
    assert {v.agency_id for v in views} == {colleague.agency_id}
    assert not any(v.data["assigned"] for v in views)


def test_the_officer_who_opened_the_case_reads_it_as_assigned(browse, officer, case):
    browse(officer).get(f"/cases/{case.pk}/")

    assert _views(officer).get().data["assigned"] is True


def test_a_refused_view_is_not_a_view(browse, outsider, case):
    browse(outsider).get(f"/cases/{case.pk}/")

    assert not _views(outsider).exists()


def test_the_list_is_not_a_view_of_each_case(browse, colleague, case):
    browse(colleague).get("/cases/")

    assert not _views(colleague).exists()


def test_the_coordinator_sees_who_accessed_the_case(browse, colleague, coordinator, case):
    client = browse(colleague)
    client.get(f"/cases/{case.pk}/")
    client.get(f"/cases/{case.pk}/print/")

    response = browse(coordinator).get(f"/cases/{case.pk}/access/")

    assert response.status_code == 200
    page = response.content.decode()
    assert colleague.display_name in page
    assert "Case viewed (on screen)" in page
    assert "Case viewed (printed)" in page
    assert "(page)" not in page


def test_the_access_page_says_how_in_the_readers_language(sign_in, colleague, coordinator, case):
    browse_az = Client()
    browse_az.cookies["birge_language"] = "az"
    sign_in(browse_az, colleague).get(f"/cases/{case.pk}/")
    sign_in(browse_az, coordinator)

    page = browse_az.get(f"/cases/{case.pk}/access/").content.decode()

    assert "İşə baxıldı (ekranda)" in page
    assert "(page)" not in page


def test_people_who_do_not_coordinate_do_not_see_who_accessed(browse, colleague, case):
    assert browse(colleague).get(f"/cases/{case.pk}/access/").status_code == 404


@pytest.fixture
def five_cases(officer):
    return [register_case(officer) for _ in range(5)]


def _alerts(auditor):
    return Notification.objects.filter(kind="audit.unassigned_views", recipient=auditor)


def _job():
    return jobs_run(names=["unassigned_reading"])["unassigned_reading"]


def test_reading_more_unassigned_cases_than_the_threshold_alerts_the_auditors_once(
    browse, colleague, auditor, five_cases, settings
):
    settings.BIRGE_UNASSIGNED_VIEWS_ALERT = 3
    client = browse(colleague)

    for case in five_cases[:3]:
        client.get(f"/cases/{case.pk}/")
        client.get(f"/cases/{case.pk}/")  # a case read twice counts once
    assert _job() == 0
    assert not _alerts(auditor).exists()

    client.get(f"/cases/{five_cases[3].pk}/")
    client.get(f"/cases/{five_cases[4].pk}/")
    assert _job() == 1
    assert _job() == 0  # once a day

    alert = _alerts(auditor).get()
    assert alert.params["count"] == 5
    assert (
        AuditEvent.objects.filter(
            action="audit.alert.unassigned_views", object_id=str(colleague.pk)
        ).count()
        == 1
    )


def test_refused_reads_count_towards_the_alert(browse, colleague, auditor, five_cases, settings):
    settings.BIRGE_UNASSIGNED_VIEWS_ALERT = 3
    client = browse(colleague)
    client.get(f"/cases/{five_cases[0].pk}/")
    for missing in (999_001, 999_002, 999_003):
        assert client.get(f"/cases/{missing}/").status_code == 404

    assert _job() == 1
    assert _alerts(auditor).get().params["count"] == 4


def test_the_unassigned_reading_alert_comes_again_the_next_day(
    browse, colleague, auditor, five_cases, settings, time_machine
):
    settings.BIRGE_UNASSIGNED_VIEWS_ALERT = 3
    client = browse(colleague)
    for case in five_cases[:4]:
        client.get(f"/cases/{case.pk}/")
    _job()
    assert _alerts(auditor).count() == 1

    time_machine.move_to(timezone.now() + timedelta(days=1, hours=1))
    client = browse(colleague)
    for case in five_cases[1:]:
        client.get(f"/cases/{case.pk}/")
    _job()

    assert _alerts(auditor).count() == 2


def test_reading_ones_own_cases_raises_no_alert(browse, officer, auditor, five_cases, settings):
    settings.BIRGE_UNASSIGNED_VIEWS_ALERT = 3
    client = browse(officer)

    for case in five_cases:
        client.get(f"/cases/{case.pk}/")

    assert _job() == 0
    assert not _alerts(auditor).exists()


def test_a_read_costs_the_same_below_and_above_the_threshold(
    browse, colleague, auditor, five_cases, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.BIRGE_UNASSIGNED_VIEWS_ALERT = 2
    client = browse(colleague)
    client.get(f"/cases/{five_cases[0].pk}/")
    with CaptureQueriesContext(connection) as below:
        client.get(f"/cases/{five_cases[1].pk}/")
    client.get(f"/cases/{five_cases[2].pk}/")
    _job()
    assert _alerts(auditor).count() == 1

    with CaptureQueriesContext(connection) as after:
        client.get(f"/cases/{five_cases[3].pk}/")

    assert _alerts(auditor).count() == 1
    assert len(after) == len(below)
