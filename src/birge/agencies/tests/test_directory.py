"""The service directory: read by everyone who refers, kept by the agency's lead (her own
agency's services only) and by system administrators; every change audited."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from birge.agencies.directory import (
    service_capacity_set,
    service_save,
    services_for,
    services_manageable_by,
)
from birge.agencies.models import Region, Service, ServiceKind
from birge.agencies.tests.factories import RegionFactory
from birge.audit.models import AuditEvent

LONG = "ж" * 5000


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English, whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def baku(db):
    return RegionFactory(code="baku")


@pytest.fixture
def ganja(db):
    return RegionFactory(code="ganja", name_az="Gəncə", name_ru="Гянджа", name_en="Ganja")


def _service(agency, kind, *regions, **fields) -> Service:
    service = Service.objects.create(
        agency=agency,
        kind=kind,
        name_az=f"{kind} az",
        name_ru=f"{kind} ru",
        name_en=f"{kind} en",
        **fields,
    )
    service.regions.set(regions)
    return service


@pytest.fixture
def protection(police, baku):
    return _service(police, ServiceKind.POLICE_PROTECTION, baku, contact="+994 12 000 00 02")


@pytest.fixture
def other_service(other_agency, ganja):
    return _service(other_agency, ServiceKind.SHELTER, ganja, capacity=3)


def _form(region, **fields):
    return {
        "kind": "legal_aid",
        "name_az": "Hüquqi yardım",
        "name_ru": "Юридическая помощь",
        "name_en": "Legal aid",
        "regions": [region.pk],
        "contact": "+994 12 000 00 09",
        "hours": "Mon–Fri 09:00–18:00",
        "languages": "az, ru",
        "is_active": "on",
        **fields,
    }


# Selectors ------------------------------------------------------------------------------


def test_services_for_filters_by_kind_region_and_agency(protection, other_service, baku, ganja):
    assert list(services_for(kind="shelter")) == [other_service]
    assert list(services_for(region=baku)) == [protection]
    assert list(services_for(region=ganja.pk, kind="shelter")) == [other_service]
    assert list(services_for(agency=protection.agency, kind="shelter")) == []


def test_retired_services_and_agencies_are_left_out(protection, other_service):
    protection.is_active = False
    protection.save()
    other_service.agency.is_active = False
    other_service.agency.save()

    assert list(services_for()) == []
    assert set(services_for(active=None)) == {protection, other_service}


# The list, for everyone who refers ---------------------------------------------------------


@pytest.mark.parametrize("cast", ["officer", "outsider", "lead", "admin"])
def test_people_who_refer_read_the_directory(english, sign_in, request, cast, protection):
    sign_in(english, request.getfixturevalue(cast))

    page = english.get("/admin/services/")

    assert page.status_code == 200
    assert "+994 12 000 00 02" in page.content.decode()


@pytest.mark.parametrize("cast", ["analyst", "auditor"])
def test_people_who_do_not_refer_get_404(client, sign_in, request, cast):
    sign_in(client, request.getfixturevalue(cast))

    assert client.get("/admin/services/").status_code == 404


def test_the_list_filters_by_kind_and_region(english, sign_in, officer, protection, other_service):
    sign_in(english, officer)

    rows = english.get("/admin/services/", {"kind": "shelter", "region": "ganja"}).context["rows"]
    assert rows == [(other_service, False)]
    rows = english.get("/admin/services/", {"region": "baku"}).context["rows"]
    assert rows == [(protection, False)]


@pytest.mark.parametrize("query", [{"kind": "spa"}, {"region": "x" * 500}, {"region": "\x00"}])
def test_junk_filters_are_answered_not_crashed_on(english, sign_in, officer, protection, query):
    sign_in(english, officer)

    response = english.get("/admin/services/", query)

    assert response.status_code == 200
    assert response.context["filters"].errors


def test_the_list_costs_the_same_queries_for_many_services(
    client, sign_in, lead, police, baku, django_assert_max_num_queries
):
    sign_in(client, lead)
    _service(police, ServiceKind.SHELTER, baku)
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/services/")
    for kind in list(ServiceKind)[1:]:
        _service(police, kind, baku)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/services/")


# Keeping it: the lead her own agency's, the administrator every one ------------------------


def test_a_lead_adds_a_service_to_her_own_agency(english, sign_in, lead, police, baku):
    sign_in(english, lead)
    assert "agency" not in english.get("/admin/services/new/").context["form"].fields

    response = english.post("/admin/services/new/", _form(baku))

    service = Service.objects.get(kind="legal_aid")
    assert response.status_code == 302
    assert service.agency == police
    assert list(service.regions.all()) == [baku]
    event = AuditEvent.objects.get(action="service.created")
    assert (event.actor, event.object_id) == (lead, str(service.pk))


def test_a_lead_edits_her_agencys_service(english, sign_in, lead, protection, baku):
    sign_in(english, lead)

    data = _form(baku, kind="police_protection", hours="24/7")
    response = english.post(f"/admin/services/{protection.pk}/", data)

    protection.refresh_from_db()
    assert response.status_code == 302
    assert protection.hours == "24/7"
    assert AuditEvent.objects.filter(action="service.updated").count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["", "capacity/"])
def test_another_agencys_service_does_not_exist_for_the_lead(
    english, sign_in, lead, other_service, ganja, method, path
):
    sign_in(english, lead)

    response = getattr(english, method)(
        f"/admin/services/{other_service.pk}/{path}", {**_form(ganja), "capacity": "0"}
    )

    assert response.status_code == 404
    other_service.refresh_from_db()
    assert (other_service.kind, other_service.capacity) == ("shelter", 3)


def test_the_services_refuse_another_agencys_service_too(lead, other_service, ganja):
    with pytest.raises(PermissionError):
        service_capacity_set(actor=lead, service=other_service, capacity=9)
    other_service.agency = lead.agency  # a lead cannot take another agency's service over
    with pytest.raises(PermissionError):
        service_save(actor=lead, service=other_service, regions=[ganja])
    assert services_manageable_by(lead).count() == 0


def test_an_administrator_keeps_every_agencys_services(
    english, sign_in, admin, other_service, other_agency, ganja
):
    sign_in(english, admin)

    response = english.post("/admin/services/new/", _form(ganja, agency=other_agency.pk))
    assert response.status_code == 302
    assert Service.objects.filter(agency=other_agency, kind="legal_aid").exists()
    response = english.post(f"/admin/services/{other_service.pk}/capacity/", {"capacity": "5"})
    assert response.status_code == 302


def test_frontline_officers_cannot_keep_services(client, sign_in, officer, protection):
    sign_in(client, officer)

    assert client.get(f"/admin/services/{protection.pk}/").status_code == 404
    assert client.get("/admin/services/new/").status_code == 404
    assert (
        client.post(f"/admin/services/{protection.pk}/capacity/", {"capacity": 1}).status_code
        == 404
    )


# Free places ---------------------------------------------------------------------------------


def test_a_capacity_update_is_audited(english, sign_in, lead, protection):
    sign_in(english, lead)

    response = english.post(
        f"/admin/services/{protection.pk}/capacity/", {"capacity": "7", "next": "list"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/services/"
    protection.refresh_from_db()
    assert protection.capacity == 7
    assert protection.capacity_updated_at is not None
    event = AuditEvent.objects.get(action="service.capacity_changed")
    assert (event.actor, event.data) == (lead, {"before": None, "after": 7})


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ("abc", "whole number"),
        ("-1", "cannot be fewer than 0"),
        ("", "Enter the number of free places."),
        ("99999999999999999999999", "can be at most 10000"),
        ("1.5", "whole number"),
    ],
)
def test_junk_capacity_gets_a_field_message(english, sign_in, lead, protection, junk, message):
    sign_in(english, lead)

    response = english.post(f"/admin/services/{protection.pk}/capacity/", {"capacity": junk})

    assert response.status_code == 400
    assert message in " ".join(response.context["capacity_form"].errors["capacity"])
    assert 'class="errorlist' in response.content.decode()
    protection.refresh_from_db()
    assert protection.capacity is None
    assert not AuditEvent.objects.filter(action="service.capacity_changed").exists()


def test_the_capacity_service_checks_its_number(lead, protection):
    for junk in (-1, 10_001, "3", True):
        with pytest.raises(ValidationError):
            service_capacity_set(actor=lead, service=protection, capacity=junk)


@pytest.mark.parametrize(
    ("field", "junk"),
    [
        ("name_az", LONG),
        ("name_ru", ""),
        ("contact", LONG),
        ("hours", LONG),
        ("languages", LONG),
        ("kind", "spa"),
        ("regions", ""),
        ("regions", "abc"),
        ("regions", "99999999999999999999999"),
    ],
)
def test_junk_in_the_service_form_gets_a_field_message(english, sign_in, lead, baku, field, junk):
    sign_in(english, lead)

    response = english.post("/admin/services/new/", _form(baku, **{field: junk}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not Service.objects.exists()


def test_junk_agency_in_the_administrators_form(english, sign_in, admin, other_agency, baku):
    sign_in(english, admin)

    for junk in ("abc", "99999999999999999999999", ""):
        response = english.post("/admin/services/new/", _form(baku, agency=junk))
        assert response.status_code == 200
        assert "agency" in response.context["form"].errors
    assert not Service.objects.exists()
    assert Region.objects.count() == 1
