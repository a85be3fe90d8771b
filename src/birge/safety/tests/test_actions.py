"""Actions on a plan: who does what by when, and their status; bad input gets field
messages, never a server error."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from birge.audit.models import AuditEvent
from birge.cases.models import CasePerson, Part
from birge.cases.tests.factories import register_case
from birge.safety import services
from birge.safety.models import ACTION_MAX_LENGTH, SafetyAction
from birge.safety.tests.conftest import url


def _due(days: int = 7) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def action(officer, plan, police):
    return services.safety_action_add(
        actor=officer,
        case=plan.case,
        plan=plan,
        text="Check whether he holds a weapons licence.",
        agency=police,
        due_on=timezone.localdate() + timedelta(days=3),
    )


def test_an_officer_adds_an_action_with_agency_person_and_due_date(
    browse, officer, colleague, police, plan
):
    response = browse(officer).post(
        url(plan, "actions/new/"),
        {
            "text": "Accompany her to collect documents.",
            "agency": police.pk,
            "responsible": colleague.pk,
            "due_on": _due(),
        },
    )

    assert response.status_code == 302
    action = SafetyAction.objects.get(plan=plan)
    assert action.text == "Accompany her to collect documents."
    assert (action.agency, action.responsible, action.status) == (police, colleague, "open")
    assert action.created_by == officer
    html = browse(officer).get(url(plan)).content.decode()
    assert "Accompany her to collect documents." in html
    assert _due() in html
    event = AuditEvent.objects.get(action="safety.action_added")
    assert (event.object_type, event.object_id) == ("case", str(plan.case_id))
    assert event.data == {"plan": plan.pk, "action": action.pk, "agency": police.pk}


def test_an_action_is_done_cancelled_and_opened_again(browse, officer, colleague, action):
    client = browse(colleague)
    status_url = url(action.plan, f"actions/{action.pk}/status/")

    assert client.post(status_url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_by) == ("done", colleague)
    assert action.closed_at is not None

    assert client.post(status_url, {"status": "open"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_by, action.closed_at) == ("open", None, None)

    assert client.post(status_url, {"status": "cancelled"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "cancelled"
    changes = AuditEvent.objects.filter(action="safety.action_status_changed").order_by("id")
    assert [(e.data["from"], e.data["to"]) for e in changes] == [
        ("open", "done"),
        ("done", "open"),
        ("open", "cancelled"),
    ]


def test_setting_the_status_it_has_is_a_field_message(browse, officer, action):
    response = browse(officer).post(
        url(action.plan, f"actions/{action.pk}/status/"), {"status": "open"}
    )

    assert response.status_code == 400
    assert "The action already has this status." in response.content.decode()


def test_two_people_closing_one_action_the_second_is_told(officer, colleague, action):
    stale_copy = SafetyAction.objects.select_related("plan").get(pk=action.pk)
    services.safety_action_set_status(
        actor=officer, case=action.plan.case, action=action, status="done"
    )

    with pytest.raises(services.StalePlanError):
        services.safety_action_set_status(
            actor=colleague, case=action.plan.case, action=stale_copy, status="cancelled"
        )

    action.refresh_from_db()
    assert (action.status, action.closed_by) == ("done", officer)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text": "x" * (ACTION_MAX_LENGTH + 1)}, "text", "at most 1000 characters"),
        ({"text": "   "}, "text", "This field is required."),
        ({"due_on": "next Tuesday"}, "due_on", "Enter a valid date."),
        ({"due_on": "2026-02-30"}, "due_on", "Enter a valid date."),
        ({"due_on": "2001-01-01"}, "due_on", "The due date cannot be in the past."),
        ({"agency": "999999"}, "agency", "Select a valid choice."),
        ({"agency": "police-baku"}, "agency", "Select a valid choice."),
        ({"responsible": "999999"}, "responsible", "Select a valid choice."),
        ({"text": "a\x00b"}, "text", "Null characters are not allowed."),
    ],
)
def test_bad_action_input_gets_a_field_message(
    browse, officer, police, plan, change, field, message
):
    data = {"text": "Call her every morning.", "agency": police.pk, "due_on": _due(), **change}

    response = browse(officer).post(url(plan, "actions/new/"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html or f"id_{field}" in html
    assert message in html
    assert not SafetyAction.objects.exists()


def test_an_agency_outside_the_circle_cannot_be_made_responsible(
    browse, officer, other_agency, plan
):
    response = browse(officer).post(
        url(plan, "actions/new/"),
        {"text": "Call her.", "agency": other_agency.pk, "due_on": _due()},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.safety_action_add(
            actor=officer,
            case=plan.case,
            plan=plan,
            text="Call her.",
            agency=other_agency,
            due_on=timezone.localdate(),
        )
    assert "agency" in refused.value.error_dict


def test_the_responsible_person_works_in_the_responsible_agency(
    officer, police, shelter, shelter_worker, plan
):
    with pytest.raises(ValidationError) as refused:
        services.safety_action_add(
            actor=officer,
            case=plan.case,
            plan=plan,
            text="Call her.",
            agency=police,
            due_on=timezone.localdate(),
            responsible=shelter_worker,
        )

    assert "responsible" in refused.value.error_dict


def test_an_unknown_status_is_a_field_message(browse, officer, action):
    response = browse(officer).post(
        url(action.plan, f"actions/{action.pk}/status/"), {"status": "lost"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_plan_or_action_of_another_case_is_not_found(browse, officer, action):
    second_case = register_case(officer)
    second_victim = CasePerson.objects.get(case=second_case, part=Part.VICTIM)
    second_plan = services.safety_plan_save(
        actor=officer,
        case=second_case,
        victim=second_victim,
        sections={"contacts": "y"},
        language="en",
        version=0,
    )
    client = browse(officer)

    crossed_action = client.post(
        f"/cases/{second_case.pk}/safety/{second_plan.pk}/actions/{action.pk}/status/",
        {"status": "done"},
    )
    crossed_plan = client.get(f"/cases/{second_case.pk}/safety/{action.plan_id}/")

    assert crossed_action.status_code == 404
    assert crossed_plan.status_code == 404
    action.refresh_from_db()
    assert action.status == "open"
