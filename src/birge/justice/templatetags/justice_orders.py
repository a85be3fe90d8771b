"""`{% orders_section case %}`: the case page's protection orders, in one query."""

from django import template
from django.db.models import Count

from birge.agencies.selectors import user_has_capability
from birge.cases.models import Case
from birge.justice.models import ProtectionOrder
from birge.justice.order_types import order_types
from birge.justice.selectors_orders import HIGH_RISK, NOT_FOLLOWED, orders_of_case

register = template.Library()


@register.inclusion_tag("justice/orders/_orders_section.html", takes_context=True)
def orders_section(context, case):
    """Each order with its status, dates and conditions; the flag when a short-term order
    expired with no long-term order following it while her risk is high."""
    user = context["request"].user
    orders = list(orders_of_case(case).annotate(breach_count=Count("breaches"))[:50])
    followed = {o.follows_id for o in orders if o.follows_id and o.status not in NOT_FOLLOWED}
    types = order_types()
    high = case.risk_level in HIGH_RISK and case.status == Case.Status.OPEN
    rows = []
    for order in orders:
        kind = types.get(order.order_type)
        flagged = (
            high
            and order.status == ProtectionOrder.Status.EXPIRED
            and kind is not None
            and kind.is_short_term
            and order.pk not in followed
        )
        rows.append(
            {
                "order": order,
                "type_name": kind.name if kind else order.order_type,
                "conditions": ", ".join(types.condition_name(c) for c in order.conditions),
                "breaches": order.breach_count,
                "flagged": flagged,
            }
        )
    return {
        "case": case,
        "orders": rows,
        "flagged": any(r["flagged"] for r in rows),
        "can_apply": case.status == Case.Status.OPEN
        and user_has_capability(user, "justice.record"),
    }
