"""The system administrator keeps the list of regions agencies belong to."""

from birge.agencies.models import Region
from birge.audit.models import AuditEvent

NEW_REGION = {"code": "quba", "name_az": "Quba", "name_ru": "Губа", "name_en": "Guba"}


def test_the_admin_adds_a_region(client, sign_in, admin):
    sign_in(client, admin)
    response = client.post("/admin/regions/new/", NEW_REGION)

    assert response.status_code == 302
    region = Region.objects.get(code="quba")
    assert region.name_ru == "Губа"
    event = AuditEvent.objects.get(action="region.created")
    assert (event.actor, event.object_id) == (admin, str(region.pk))


def test_the_admin_renames_a_region(client, sign_in, admin, police):
    sign_in(client, admin)
    region = police.region
    response = client.post(
        f"/admin/regions/{region.pk}/", {**NEW_REGION, "code": region.code, "name_en": "Baku City"}
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_en == "Baku City"
    assert AuditEvent.objects.filter(action="region.updated", object_id=str(region.pk)).exists()


def test_a_taken_region_code_gets_a_field_message(client, sign_in, admin, police):
    sign_in(client, admin)
    response = client.post("/admin/regions/new/", {**NEW_REGION, "code": police.region.code})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not Region.objects.filter(name_en="Guba").exists()


def test_the_agency_lead_cannot_add_regions(client, sign_in, lead):
    sign_in(client, lead)
    assert client.post("/admin/regions/new/", NEW_REGION).status_code == 404
    assert not Region.objects.filter(code="quba").exists()
