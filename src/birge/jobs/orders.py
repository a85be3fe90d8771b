"""Protection orders: expire those past their last day, and remind the victim's
coordinator N days before an order ends (BIRGE_ORDER_REMINDER_DAYS), once per order.

Rows are claimed with `SELECT … FOR UPDATE SKIP LOCKED`, so two servers never take the same
order, and each step re-checks its order's state: running twice changes nothing more."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from birge.justice.selectors_orders import orders_to_expire, orders_to_remind
from birge.justice.services.orders import order_expire, order_remind_expiry, reminder_horizon

BATCH = 200


def order_expiry(now: datetime | None = None) -> int:
    """Mark the orders past their last day expired. Returns how many."""
    today = timezone.localdate(now or timezone.now())
    done = 0
    while True:
        with transaction.atomic():
            orders = list(
                orders_to_expire(today).select_for_update(skip_locked=True).order_by("pk")[:BATCH]
            )
            if not orders:
                return done
            done += sum(order_expire(order=order, today=today) for order in orders)


def order_expiry_reminders(now: datetime | None = None) -> int:
    """Remind the coordinators of the orders that end within the next N days. Returns how
    many reminders went out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = 0
    while True:
        with transaction.atomic():
            orders = list(
                orders_to_remind(today, reminder_horizon(today))
                .select_for_update(skip_locked=True)
                .order_by("pk")[:BATCH]
            )
            if not orders:
                return done
            done += sum(order_remind_expiry(order=order, now=now) for order in orders)
