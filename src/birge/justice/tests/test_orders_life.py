"""An order's life through the services: each step, who may take it, from which status,
on which version; the jobs that expire orders and remind the coordinator; the flag."""

# ruff: noqa: F811 - the cast is imported as fixtures and named as parameters

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from birge.agencies.tests.factories import UserFactory
from birge.audit.models import AuditEvent
from birge.jobs.orders import order_expiry, order_expiry_reminders
from birge.justice.models import OrderEvent, ProtectionOrder
from birge.justice.selectors_orders import orders_flagged, orders_flagged_for_coordinator
from birge.justice.services import orders as services
from birge.justice.tests.factories import (  # noqa: F401 - the cast
    _english,
    _known_keys,
    assess,
    bounds,
    coordinator,
    court,
    executive,
    judge,
    local_authority,
    order_apply,
    order_case,
    order_in_force,
    order_issue,
)
from birge.notifications.models import Notification


def test_an_application_to_an_agency_of_the_wrong_kind_is_refused(
    coordinator,
    order_case,
    police,
    court,
):
    for wrong in (police, court):
        with pytest.raises(ValidationError) as refused:
            order_apply(coordinator, order_case, agency=wrong)
        assert "issued only by Local executive authority" in str(
            refused.value.message_dict["issuing_agency"]
        )
    assert not ProtectionOrder.objects.exists()


def test_an_applicant_the_type_does_not_allow_is_refused(
    coordinator,
    order_case,
    court,
):
    with pytest.raises(ValidationError) as refused:
        order_apply(
            coordinator, order_case, agency=court, order_type="long_term", applicant="police"
        )
    assert "applicant" in refused.value.message_dict


def test_an_application_is_recorded_with_its_event_and_audit(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)

    assert order.status == "applied"
    assert list(order.events.values_list("kind", flat=True)) == ["applied"]
    event = AuditEvent.objects.get(action="justice.order_applied")
    assert event.data == {
        "order": order.pk,
        "type": "short_term",
        "issuing_agency": local_authority.pk,
    }
    # The issuing authority (in the circle) hears of it.
    assert Notification.objects.filter(recipient=executive, kind="order.applied").exists()


def test_only_the_issuing_agencys_own_people_issue(
    coordinator,
    order_case,
    local_authority,
    judge,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    for other in (coordinator, judge):
        with pytest.raises(PermissionDenied):
            order_issue(other, order)
    # A user of the authority without `justice.record` may not either.
    clerk = UserFactory(agency=local_authority, roles=["frontline_officer"])
    with pytest.raises(PermissionDenied):
        order_issue(clerk, order)

    order_issue(executive, order)
    order.refresh_from_db()
    assert (order.status, order.issued_by) == ("issued", executive)


def test_an_authority_whose_kind_no_longer_may_issue_is_refused(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    local_authority.kind = "police"
    local_authority.save(update_fields=["kind"])
    executive.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        order_issue(executive, order)
    assert "issuing_agency" in refused.value.message_dict


def test_conditions_outside_the_type_are_refused_and_keep_away_needs_places(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    with pytest.raises(ValidationError) as refused:
        order_issue(executive, order, conditions=["attend_programme"])
    assert "conditions" in refused.value.message_dict
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.order_issue(
            actor=executive,
            order=order,
            issued_on=today,
            starts_on=today,
            ends_on=today,
            conditions=["keep_away"],
            places="",
        )
    assert "places" in refused.value.message_dict


def test_steps_from_the_wrong_status_are_refused(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    with pytest.raises(ValidationError, match="Only an issued order"):
        services.order_serve(actor=coordinator, order=order, served_at=timezone.now())
    with pytest.raises(ValidationError, match="Only an order in force"):
        services.order_revoke(actor=executive, order=order, note="No longer needed.")
    order_issue(executive, order)
    with pytest.raises(ValidationError, match="already been decided"):
        order_issue(executive, order)
    with pytest.raises(ValidationError, match="Only an application"):
        services.order_refuse(actor=executive, order=order, note="No grounds.")


def test_a_stale_version_is_refused(coordinator, order_case, local_authority, executive):
    order = order_apply(coordinator, order_case, agency=local_authority)
    seen = order.version
    order_issue(executive, order, days=10)

    with pytest.raises(ValidationError) as refused:
        services.order_extend(
            actor=executive, order=order, ends_on=order.ends_on + timedelta(days=1), version=seen
        )
    assert getattr(refused.value, "code", None) == "stale", refused.value.messages


def test_refusing_needs_a_reason_and_tells_the_coordinator(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = order_apply(coordinator, order_case, agency=local_authority)
    with pytest.raises(ValidationError) as refused:
        services.order_refuse(actor=executive, order=order, note=" ")
    assert "note" in refused.value.message_dict

    services.order_refuse(actor=executive, order=order, note="She withdrew the complaint.")

    order.refresh_from_db()
    assert order.status == "refused"
    assert order.events.get(kind="refused").note == "She withdrew the complaint."
    assert Notification.objects.filter(kind="order.refused").exists()


def test_serve_extend_vary_revoke(coordinator, officer, order_case, local_authority, executive):
    _least, most = bounds("short_term")
    order = order_apply(coordinator, order_case, agency=local_authority)
    order_issue(executive, order, days=10)
    with pytest.raises(ValidationError, match="future"):
        services.order_serve(
            actor=coordinator, order=order, served_at=timezone.now() + timedelta(hours=2)
        )

    services.order_serve(actor=coordinator, order=order, served_at=timezone.now())
    assert (order.status, order.served_by) == ("in_force", coordinator)

    # Extended within the type's longest duration, and not beyond it.
    with pytest.raises(ValidationError) as refused:
        services.order_extend(
            actor=executive, order=order, ends_on=order.starts_on + timedelta(days=most)
        )
    assert "ends_on" in refused.value.message_dict
    services.order_extend(
        actor=executive, order=order, ends_on=order.starts_on + timedelta(days=most - 1)
    )
    order.refresh_from_db()
    assert order.ends_on == order.starts_on + timedelta(days=most - 1)

    services.order_vary(actor=executive, order=order, conditions=["no_contact", "leave_home"])
    order.refresh_from_db()
    assert order.conditions == ["leave_home", "no_contact"]
    assert order.places == ""

    services.order_revoke(actor=executive, order=order, note="The court's order replaces it.")
    order.refresh_from_db()
    assert order.status == "revoked"
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds == ["applied", "issued", "served", "extended", "varied", "revoked"]


# --- Jobs --------------------------------------------------------------------------------


def _served(coordinator, executive, order_case, local_authority, *, days):
    return order_in_force(
        coordinator, executive, coordinator, order_case, agency=local_authority, days=days
    )


def test_the_expiry_reminder_goes_to_the_coordinator_once(
    settings,
    coordinator,
    order_case,
    local_authority,
    executive,
):
    settings.BIRGE_ORDER_REMINDER_DAYS = 5
    order = _served(coordinator, executive, order_case, local_authority, days=10)
    now = timezone.now()

    assert order_expiry_reminders(now) == 0  # ends in 9 days: not yet
    later = now + timedelta(days=4)
    assert order_expiry_reminders(later) == 1
    assert order_expiry_reminders(later) == 0
    assert order_expiry_reminders(later + timedelta(days=1)) == 0

    reminders = Notification.objects.filter(kind="order.expiring_short")
    assert [n.recipient for n in reminders] == [coordinator]
    assert reminders.get().params == {
        "reference": order_case.reference,
        "order": order.pk,
        "ends_on": order.ends_on.isoformat(),
    }
    order.refresh_from_db()
    assert order.expiry_reminded_at is not None


def test_orders_past_their_last_day_expire_once(
    coordinator,
    order_case,
    local_authority,
    executive,
):
    order = _served(coordinator, executive, order_case, local_authority, days=3)

    assert order_expiry(timezone.now() + timedelta(days=2)) == 0  # its last day
    assert order_expiry(timezone.now() + timedelta(days=3)) == 1
    assert order_expiry(timezone.now() + timedelta(days=3)) == 0

    order.refresh_from_db()
    assert order.status == "expired"
    assert order.events.filter(kind=OrderEvent.Kind.EXPIRED).count() == 1


def test_an_expired_short_term_order_at_high_risk_with_nothing_after_it_is_flagged(
    coordinator,
    officer,
    assess,
    order_case,
    local_authority,
    executive,
    court,
    judge,
):
    order = _served(coordinator, executive, order_case, local_authority, days=3)
    order_expiry(timezone.now() + timedelta(days=3))
    assert not orders_flagged().exists()  # the risk is not high

    assess(officer, order_case, "threat_to_kill")
    assert list(orders_flagged()) == [order]
    assert list(orders_flagged_for_coordinator(coordinator)) == [order]
    assert not orders_flagged_for_coordinator(executive).exists()

    # A long-term order applied for after it: no longer flagged.
    order_apply(coordinator, order_case, agency=court, order_type="long_term", follows=order)
    assert not orders_flagged().exists()
