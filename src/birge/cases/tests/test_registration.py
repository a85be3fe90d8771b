"""Registering a case in one guided flow: victim, perpetrator, children, first incident
and consent, all in one transaction."""

from datetime import timedelta

from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.models import Case, CasePerson, CircleMember, Part
from birge.cases.tests.factories import registration_form


def _full_form(shelter, idempotency_key="first"):
    today = timezone.localdate()
    return registration_form(
        victim={"birth_date": "1990-05-01", "phone": "050 123 45 67", "address": "Nizami 12"},
        perpetrator={"first_name": "Rəşad", "last_name": "Əliyev", "relationship": "spouse"},
        children=[{"first_name": "Nuray", "approximate_age": "6"}],
        incident={
            "forms": ["physical", "economic"],
            "place": "At home",
            "narrative": "He took her salary and hit her.",
            "children_witnessed": "on",
        },
        consent={
            "given": "on",
            "agencies": [shelter.pk],
            "share_location": "on",
            "valid_until": (today + timedelta(days=90)).isoformat(),
        },
        idempotency_key=idempotency_key,
    )


def test_the_registration_page_offers_an_idempotency_key(browse, officer):
    response = browse(officer).get("/cases/new/")

    assert response.status_code == 200
    assert 'name="idempotency_key" value="' in response.content.decode()
    assert response.context["idempotency_key"]


def test_an_officer_registers_a_case_in_one_go(browse, officer, shelter):
    client = browse(officer)

    response = client.post("/cases/new/", _full_form(shelter))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.owning_agency == officer.agency
    assert case.created_by == officer
    assert case.coordinator is None
    parts = {p.part: p for p in CasePerson.objects.filter(case=case).select_related("person")}
    assert set(parts) == {Part.VICTIM, Part.PERPETRATOR, Part.CHILD}
    assert parts[Part.VICTIM].person.full_name == "Əliyeva Aysel"
    assert parts[Part.PERPETRATOR].relationship == "spouse"
    assert parts[Part.CHILD].person.approximate_age == 6
    incident = case.incidents.get()
    assert incident.forms == ["physical", "economic"]
    assert incident.children_witnessed
    consent = case.consents.get()
    assert list(consent.agencies.all()) == [shelter]
    assert consent.share_location
    assert list(CircleMember.objects.filter(case=case).values_list("basis", flat=True)) == ["owner"]
    page = client.get(response["Location"]).content.decode()
    assert f"The case {case.reference} is registered." in page
    assert "He took her salary and hit her." in page
    assert AuditEvent.objects.filter(action="case.created", object_id=str(case.pk)).exists()


def test_a_coordinator_who_registers_a_case_coordinates_it(browse, coordinator, shelter):
    browse(coordinator).post("/cases/new/", _full_form(shelter))

    assert Case.objects.get().coordinator == coordinator


def test_a_person_without_case_create_cannot_register(browse, lead, shelter):
    response = browse(lead).post("/cases/new/", _full_form(shelter))

    assert response.status_code == 404
    assert not Case.objects.exists()
