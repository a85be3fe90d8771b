"""A case's life: closing, reopening and retiring need a reason; a retired case is gone from
every page until an administrator restores it; closed cases are anonymised after the
retention period, keeping what statistics need."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.audit.selectors import event_reason
from birge.cases import services
from birge.cases.models import Case, CasePerson, Incident, Part, Person, PersonIndex
from birge.cases.tests.factories import register_case
from birge.cases.tests.routes import case_routes, fill, parameters


def _status(case):
    return Case.objects.get(pk=case.pk).status


@pytest.mark.parametrize("action", ["close", "retire"])
def test_closing_and_retiring_need_a_reason(browse, coordinator, case, action):
    client = browse(coordinator)

    response = client.post(f"/cases/{case.pk}/{action}/", {"reason": "  "})

    assert response.status_code == 400
    assert "Write the reason" in response.content.decode()
    assert _status(case) == "open"


def test_the_coordinator_closes_and_reopens_a_case_with_reasons(browse, coordinator, case):
    client = browse(coordinator)

    assert client.post(f"/cases/{case.pk}/close/", {"reason": "She is safe."}).status_code == 302
    assert _status(case) == "closed"
    assert client.post(f"/cases/{case.pk}/reopen/", {"reason": ""}).status_code == 400
    assert _status(case) == "closed"
    response = client.post(f"/cases/{case.pk}/reopen/", {"reason": "He came back."})

    assert response.status_code == 302
    assert _status(case) == "open"
    events = AuditEvent.objects.filter(
        object_id=str(case.pk), action__in=["case.closed", "case.reopened"]
    ).order_by("id")
    assert [(e.action, event_reason(e)) for e in events] == [
        ("case.closed", "She is safe."),
        ("case.reopened", "He came back."),
    ]


def test_a_frontline_officer_cannot_close_a_case(browse, officer, case):
    assert browse(officer).post(f"/cases/{case.pk}/close/", {"reason": "Done."}).status_code == 404
    assert _status(case) == "open"


def test_a_closed_case_takes_no_new_incidents(browse, officer, coordinator, case):
    services.case_close(actor=coordinator, case=case, reason="She is safe.")

    response = browse(officer).post(f"/cases/{case.pk}/incidents/new/", {})

    assert response.status_code == 403
    assert Incident.objects.filter(case=case).count() == 1


CASE_ROUTES = [r for r in case_routes() if "case_id" in parameters(r) and "retired" not in r]


@pytest.fixture
def retired(browse, coordinator, case):
    response = browse(coordinator).post(f"/cases/{case.pk}/retire/", {"reason": "Duplicate."})
    assert response.status_code == 302
    return case


@pytest.mark.parametrize("route", CASE_ROUTES)
@pytest.mark.parametrize("cast", ["officer", "coordinator"])
def test_a_retired_case_is_gone_from_every_page(browse, retired, route, cast, request):
    client = browse(request.getfixturevalue(cast))
    member = retired.circle.get().pk
    url = fill(route, {"case_id": retired.pk, "consent_id": 1, "member_id": member})

    assert client.get(url).status_code in (404, 405)
    assert client.post(url, {"reason": "Trying anyway."}).status_code == 404


def test_a_retired_case_is_gone_from_lists_and_search(browse, coordinator, retired):
    client = browse(coordinator)

    assert retired.reference not in client.get("/cases/").content.decode().split("<tbody>")[1]
    rows = client.get("/cases/", {"q": retired.reference}).content.decode().split("<tbody>")[1]
    assert retired.reference not in rows


def test_the_administrator_restores_a_retired_case(browse, admin, coordinator, retired):
    client = browse(admin)
    assert retired.reference in client.get("/cases/retired/").content.decode()

    assert client.post(f"/cases/retired/{retired.pk}/restore/", {"reason": ""}).status_code == 200
    assert _status(retired) == "retired"
    response = client.post(f"/cases/retired/{retired.pk}/restore/", {"reason": "Not a duplicate."})

    assert response.status_code == 302
    assert _status(retired) == "open"
    assert browse(coordinator).get(f"/cases/{retired.pk}/").status_code == 200
    assert event_reason(AuditEvent.objects.get(action="case.restored")) == "Not a duplicate."


def test_only_the_administrator_sees_retired_cases(browse, coordinator, retired):
    client = browse(coordinator)

    assert client.get("/cases/retired/").status_code == 404
    assert client.post(f"/cases/retired/{retired.pk}/restore/", {"reason": "x"}).status_code == 404
    assert _status(retired) == "retired"


# --- Anonymisation after the retention period ----------------------------------------


@pytest.fixture
def closed_long_ago(officer, coordinator, settings, time_machine):
    settings.BIRGE_RETENTION_DAYS = 30
    case = register_case(
        officer,
        victim={"address": "Nizami 12", "shelter_location": "Shelter 3"},
        children=[{"first_name": "Nuray", "approximate_age": 5}],
    )
    services.case_close(actor=coordinator, case=case, reason="She is safe.")
    time_machine.move_to(timezone.now() + timedelta(days=31))
    return case


def test_anonymising_blanks_personal_data_and_keeps_what_statistics_need(closed_long_ago):
    case = closed_long_ago
    before = Case.objects.get(pk=case.pk)
    forms = list(Incident.objects.filter(case=case).values_list("forms", flat=True))

    assert services.cases_anonymise_expired() == 1

    after = Case.objects.get(pk=case.pk)
    assert after.anonymised_at is not None
    assert (after.region_id, after.opened_at, after.closed_at, after.status) == (
        before.region_id,
        before.opened_at,
        before.closed_at,
        "closed",
    )
    people = Person.objects.filter(parts__case=case)
    assert people.count() == 3
    for person in people:
        assert (person.first_name, person.last_name, person.phone, person.address) == ("",) * 4
        assert person.birth_date is None
        assert person.anonymised_at is not None
    assert Person.objects.get(parts__case=case, parts__part=Part.VICTIM).birth_year is not None
    assert Person.objects.get(parts__case=case, parts__part=Part.CHILD).approximate_age == 5
    assert not PersonIndex.objects.filter(person__parts__case=case).exists()
    assert CasePerson.objects.get(case=case, part=Part.VICTIM).shelter_location == ""
    assert CasePerson.objects.get(case=case, part=Part.PERPETRATOR).relationship == "spouse"
    incident = Incident.objects.get(case=case)
    assert (incident.place, incident.narrative) == ("", "")
    assert [incident.forms] == forms
    assert isinstance(incident.occurred_on, date)


def test_anonymising_twice_is_harmless(closed_long_ago):
    assert services.cases_anonymise_expired() == 1
    events = AuditEvent.objects.filter(action="case.anonymised").count()

    assert services.cases_anonymise_expired() == 0
    assert AuditEvent.objects.filter(action="case.anonymised").count() == events == 1


def test_open_and_recently_closed_cases_are_kept(officer, coordinator, settings, time_machine):
    settings.BIRGE_RETENTION_DAYS = 30
    still_open = register_case(officer)
    closed = register_case(officer)
    services.case_close(actor=coordinator, case=closed, reason="She is safe.")
    time_machine.move_to(timezone.now() + timedelta(days=29))

    assert services.cases_anonymise_expired() == 0

    for case in (still_open, closed):
        assert Person.objects.filter(parts__case=case).exclude(first_name="").count() == 2


def test_an_anonymised_case_shows_no_names_and_cannot_be_reopened(
    browse, coordinator, closed_long_ago
):
    victim_name = Person.objects.get(parts__case=closed_long_ago, parts__part="victim").full_name
    services.cases_anonymise_expired()
    client = browse(coordinator)

    page = client.get(f"/cases/{closed_long_ago.pk}/").content.decode()
    assert "anonymised" in page
    assert victim_name not in page
    response = client.post(f"/cases/{closed_long_ago.pk}/reopen/", {"reason": "He came back."})

    assert response.status_code == 400
    assert _status(closed_long_ago) == "closed"


def test_an_anonymised_person_is_no_longer_found_by_name(browse, coordinator, closed_long_ago):
    victim = Person.objects.get(parts__case=closed_long_ago, parts__part="victim")
    query = f"{victim.first_name} {victim.last_name}"
    client = browse(coordinator)
    assert closed_long_ago.reference in client.get("/cases/", {"q": query}).content.decode()

    services.cases_anonymise_expired()

    rows = client.get("/cases/", {"q": query}).content.decode().split("<tbody>")[1]
    assert closed_long_ago.reference not in rows
