"""A breach of an order: the incident is typed once and recorded once, the case escalates
as for any new incident and as a breach, enters the conference's queue as "breach", and
the issuing authority hears of it when it is in the circle."""

# ruff: noqa: F811 - the cast is imported as fixtures and named as parameters

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from birge.cases.models import Incident
from birge.conferences.models import ConferenceReferral
from birge.justice.models import OrderBreach
from birge.justice.services import orders as services
from birge.justice.tests.factories import (  # noqa: F401 - the cast
    _english,
    _known_keys,
    browse,
    chair,
    chair_agency,
    coordinator,
    court,
    executive,
    incident_data,
    local_authority,
    order_apply,
    order_case,
    order_in_force,
    order_issue,
    series,
    shelter,
    social,
)
from birge.notifications.models import Notification


@pytest.fixture
def in_force(coordinator, executive, order_case, local_authority, series):
    return order_in_force(coordinator, executive, coordinator, order_case, agency=local_authority)


def test_the_breach_is_one_incident_escalated_queued_and_told(
    officer,
    coordinator,
    executive,
    chair,
    series,
    order_case,
    in_force,
):
    before = Incident.objects.filter(case=order_case).count()

    breach = services.order_breach_record(actor=officer, order=in_force, incident=incident_data())

    assert Incident.objects.filter(case=order_case).count() == before + 1
    assert breach.incident.narrative.startswith("He waited for her")
    assert list(in_force.events.values_list("kind", flat=True))[-1] == "breached"
    # Escalated like any new incident, and as a breach.
    kinds = set(Notification.objects.filter(recipient=coordinator).values_list("kind", flat=True))
    assert {"case.escalated.new_incident", "case.escalated.order_breach"} <= kinds
    order_case.refresh_from_db()
    assert order_case.reassessment_due_at is not None
    # In the conference's queue, as a breach.
    queued = ConferenceReferral.objects.get(case=order_case, series=series)
    assert queued.criterion == ConferenceReferral.Criterion.BREACH
    assert queued.get_criterion_display() == "Breach of a protection order"
    assert Notification.objects.filter(recipient=chair, kind="conference.queued").exists()
    # The issuing authority is in the circle: it hears.
    told = Notification.objects.get(recipient=executive, kind="order.breached")
    assert told.params == {"reference": order_case.reference, "order": in_force.pk}


def test_the_issuing_authority_outside_the_circle_is_not_told(
    officer,
    executive,
    order_case,
    in_force,
    local_authority,
):
    order_case.circle.filter(agency=local_authority).update(removed_at=timezone.now())

    services.order_breach_record(actor=officer, order=in_force, incident=incident_data())

    assert not Notification.objects.filter(kind="order.breached").exists()


def test_an_order_not_in_force_cannot_be_breached(
    officer,
    coordinator,
    executive,
    order_case,
    local_authority,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    order_issue(executive, order)  # issued, not served
    incidents = Incident.objects.count()

    with pytest.raises(ValidationError, match="served and in force"):
        services.order_breach_record(actor=officer, order=order, incident=incident_data())

    assert Incident.objects.count() == incidents


def test_a_breach_before_it_was_served_or_after_it_ended_is_refused(
    officer,
    order_case,
    in_force,
):
    for day in (timezone.localdate() - timedelta(days=1), in_force.ends_on + timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.order_breach_record(
                actor=officer, order=in_force, incident=incident_data(occurred_on=day)
            )
        assert "occurred_on" in refused.value.message_dict
    assert not OrderBreach.objects.exists()


def test_the_sanction_is_recorded_on_the_breach(officer, executive, in_force):
    breach = services.order_breach_record(actor=officer, order=in_force, incident=incident_data())
    with pytest.raises(ValidationError) as refused:
        services.breach_sanction(
            actor=executive, breach=breach, sanction="fine", sanctioned_on=None
        )
    assert "sanctioned_on" in refused.value.message_dict

    services.breach_sanction(
        actor=executive, breach=breach, sanction="fine", sanctioned_on=timezone.localdate()
    )

    breach.refresh_from_db()
    assert breach.sanction == "fine"


def test_the_breach_form_is_the_incident_form_and_records_once(
    browse,
    officer,
    order_case,
    in_force,
):
    client = browse(officer)
    form = client.get(f"/justice/orders/{in_force.pk}/breach/").content.decode()
    assert 'name="narrative"' in form and 'name="forms"' in form
    body = {
        "occurred_on": timezone.localdate().isoformat(),
        "place": "At the bus stop",
        "forms": ["physical"],
        "weapon": "none",
        "narrative": "He came to the bus stop.",
    }

    response = client.post(f"/justice/orders/{in_force.pk}/breach/", body)
    assert response.status_code == 302
    client.post(f"/justice/orders/{in_force.pk}/breach/", {**body, "forms": []})  # refused

    assert OrderBreach.objects.filter(order=in_force).count() == 1
    case_page = client.get(f"/cases/{order_case.pk}/").content.decode()
    assert "Breach of a protection order" in case_page  # the conference section's criterion
    assert "1 breach" in case_page  # the orders section
