"""Making and revising a safety plan: revisions kept, a stale edit refused, every step
and every read in the case's audit trail."""

import pytest
from django.db import connection

from birge.audit.models import AuditEvent
from birge.safety import services
from birge.safety.models import SECTION_NAMES, SafetyPlan, SafetyPlanRevision
from birge.safety.tests.conftest import SECTIONS, url


def _form(version: int, language: str = "az", **sections) -> dict:
    return {"version": version, "language": language, **{**SECTIONS, **sections}}


def test_an_officer_makes_a_plan_for_the_victim(browse, officer, sheltered_case, victim):
    client = browse(officer)
    page = client.get(f"/cases/{sheltered_case.pk}/safety/")
    assert f"/cases/{sheltered_case.pk}/safety/new/{victim.pk}/" in page.content.decode()

    response = client.post(f"/cases/{sheltered_case.pk}/safety/new/{victim.pk}/", _form(0))

    plan = SafetyPlan.objects.get(case=sheltered_case, victim=victim)
    assert response.status_code == 302
    assert response["Location"] == url(plan)
    assert plan.language == "az"
    assert plan.version == 1
    revision = plan.revisions.get()
    assert revision.number == 1
    assert revision.author == officer
    assert revision.sections == SECTIONS


def test_the_plan_page_shows_sections_actions_and_history(browse, officer, plan):
    html = browse(officer).get(url(plan)).content.decode()

    assert "Safe contacts and code words" in html
    assert "Kod söz: «çay dəmlə»" in html
    assert "Revision 1 by" in html
    assert url(plan, "pdf/") in html
    assert url(plan, "print/") in html
    assert url(plan, "edit/") in html


def test_a_revision_keeps_the_earlier_ones(browse, officer, colleague, plan):
    client = browse(colleague)
    form = client.get(url(plan, "edit/")).content.decode()
    assert "Kod söz: «çay dəmlə»" in form  # the current text, to revise

    response = client.post(url(plan, "edit/"), _form(1, language="ru", contacts="Новый код."))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.language == "ru"
    first, second = plan.revisions.order_by("number")
    assert (first.number, first.author, first.contacts) == (1, officer, SECTIONS["contacts"])
    assert (second.number, second.author, second.contacts) == (2, colleague, "Новый код.")
    html = client.get(url(plan)).content.decode()
    assert "Новый код." in html
    assert "Revision 2 by" in html
    assert "Revision 1 by" in html


def test_a_revision_is_never_rewritten(plan):
    revision = plan.revisions.get()
    revision.contacts = "changed"

    with pytest.raises(ValueError, match="immutable"):
        revision.save()


def test_a_stale_edit_is_refused_and_her_text_kept(browse, officer, colleague, plan):
    services.safety_plan_save(
        actor=colleague,
        case=plan.case,
        victim=plan.victim,
        sections={**SECTIONS, "digital": "Colleague's change."},
        language="az",
        version=1,
    )

    response = browse(officer).post(url(plan, "edit/"), _form(1, digital="My own change."))

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this safety plan meanwhile" in html
    assert "My own change." in html
    assert plan.revisions.count() == 2
    assert plan.revisions.first().digital == "Colleague's change."


def test_two_first_plans_for_one_victim_make_one(officer, colleague, plan):
    with pytest.raises(services.StalePlanError) as refused:
        services.safety_plan_save(
            actor=colleague,
            case=plan.case,
            victim=plan.victim,
            sections=SECTIONS,
            language="en",
            version=0,
        )

    assert refused.value.code == "stale"
    assert SafetyPlan.objects.count() == 1


def test_a_new_plan_page_for_a_victim_with_a_plan_leads_to_it(browse, officer, plan):
    response = browse(officer).get(f"/cases/{plan.case_id}/safety/new/{plan.victim_id}/")

    assert response.status_code == 302
    assert response["Location"] == url(plan, "edit/")


def test_an_empty_plan_is_refused(browse, officer, sheltered_case, victim):
    empty = {"version": 0, "language": "en", **dict.fromkeys(SECTION_NAMES, "  ")}

    response = browse(officer).post(f"/cases/{sheltered_case.pk}/safety/new/{victim.pk}/", empty)

    assert response.status_code == 400
    assert "Write at least one section of the plan." in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_saving_and_reading_are_in_the_case_audit_trail(browse, officer, plan):
    client = browse(officer)
    client.get(url(plan))
    client.get(url(plan, "print/"))
    client.get(url(plan, "pdf/"))

    events = AuditEvent.objects.filter(object_type="case", object_id=str(plan.case_id))
    saved = events.get(action="safety.plan_saved")
    assert saved.actor == officer
    assert saved.data == {"plan": plan.pk, "revision": 1, "language": "az", "left_out": 0}
    channels = [
        e.data["channel"] for e in events.filter(action="safety.plan_viewed").order_by("id")
    ]
    assert channels == ["page", "print"]
    assert events.filter(action="safety.plan_pdf", actor=officer).count() == 1
    # Codes and ids only in the audit log: never what the plan says.
    assert "çay" not in str(list(events.values_list("data", flat=True)))


def test_saving_a_plan_moves_the_case_version_on(officer, plan, sheltered_case):
    before = sheltered_case.version
    services.safety_plan_save(
        actor=officer,
        case=sheltered_case,
        victim=plan.victim,
        sections=SECTIONS,
        language="en",
        version=plan.version,
    )

    sheltered_case.refresh_from_db()
    assert sheltered_case.version == before + 1


def test_the_sections_are_encrypted_at_rest(plan):
    revision = plan.revisions.get()
    table = SafetyPlanRevision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contacts, leaving FROM {table} WHERE id = %s", [revision.pk])  # noqa: S608
        contacts, leaving = cursor.fetchone()

    assert "Şəbnəm" not in contacts
    assert "vəsiqəsi" not in leaving


def test_anonymising_an_expired_case_blanks_its_safety_plans(plan, coordinator, settings):
    from datetime import timedelta

    from django.utils import timezone

    from birge.cases.services import case_close, cases_anonymise_expired
    from birge.safety.models import SafetyAction

    services.safety_action_add(
        actor=coordinator,
        case=plan.case,
        plan=plan,
        text="Accompany her to court.",
        agency=coordinator.agency,
        due_on=timezone.localdate(),
    )
    case_close(actor=coordinator, case=plan.case, reason="She is safe now.")
    settings.BIRGE_RETENTION_DAYS = 30

    cases_anonymise_expired(now=timezone.now() + timedelta(days=31))

    revision = plan.revisions.get()
    assert revision.contacts == "" and revision.leaving == ""
    assert SafetyAction.objects.get(plan=plan).text == ""
