"""The system administrator keeps the list of agencies."""

from birge.agencies.models import Agency
from birge.agencies.tests.factories import RegionFactory
from birge.audit.models import AuditEvent


def _agency(region, **fields):
    return {
        "code": "health-baku",
        "name_az": "Səhiyyə — Bakı",
        "name_ru": "Здравоохранение — Баку",
        "name_en": "Health — Baku",
        "kind": "health",
        "region": region.pk,
        "is_active": "on",
        **fields,
    }


def test_the_admin_lists_every_agency(client, sign_in, admin, police, other_agency):
    sign_in(client, admin)
    response = client.get("/admin/agencies/")
    assert response.status_code == 200
    assert {police, other_agency} <= set(response.context["agencies"])


def test_the_admin_adds_an_agency(client, sign_in, admin, db):
    region = RegionFactory()
    sign_in(client, admin)
    response = client.post("/admin/agencies/new/", _agency(region))

    assert response.status_code == 302
    agency = Agency.objects.get(code="health-baku")
    assert (agency.kind, agency.region, agency.name_ru) == (
        "health",
        region,
        "Здравоохранение — Баку",
    )
    event = AuditEvent.objects.get(action="agency.created")
    assert (event.actor, event.object_id) == (admin, str(agency.pk))


def test_the_admin_renames_and_retires_an_agency(client, sign_in, admin, police):
    sign_in(client, admin)
    data = _agency(police.region, code=police.code, kind="police", name_en="Baku Police")
    del data["is_active"]
    response = client.post(f"/admin/agencies/{police.pk}/", data)

    assert response.status_code == 302
    police.refresh_from_db()
    assert (police.name_en, police.is_active) == ("Baku Police", False)
    assert AuditEvent.objects.filter(action="agency.updated", object_id=str(police.pk)).exists()


def test_a_retired_agency_is_not_offered_for_new_users(
    client, sign_in, admin, police, other_agency
):
    other_agency.is_active = False
    other_agency.save()
    sign_in(client, admin)
    offered = set(client.get("/admin/users/new/").context["form"].fields["agency"].queryset)
    assert police in offered
    assert other_agency not in offered


def test_a_taken_agency_code_gets_a_field_message(client, sign_in, admin, police):
    sign_in(client, admin)
    response = client.post("/admin/agencies/new/", _agency(police.region, code=police.code))
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Agency.objects.filter(code=police.code).count() == 1


def test_an_unknown_agency_gives_404(client, sign_in, admin):
    sign_in(client, admin)
    assert client.get("/admin/agencies/999999/").status_code == 404


def test_the_agency_lead_cannot_manage_agencies(client, sign_in, lead, police):
    sign_in(client, lead)
    assert client.get("/admin/agencies/").status_code == 404
    response = client.post(f"/admin/agencies/{police.pk}/", _agency(police.region, code="x"))
    assert response.status_code == 404
    police.refresh_from_db()
    assert police.code == "police-baku"
