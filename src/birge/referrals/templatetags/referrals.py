from django import template
from django.utils import timezone

from birge.agencies.selectors import user_has_capability
from birge.cases.models import Case
from birge.referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_referrals_section.html", takes_context=True)
def referrals_section(context, case):
    """The case page's referrals: where the case went, what came of it, and "Refer"."""
    user = context["request"].user
    return {
        "case": case,
        "referrals": list(selectors.referrals_of_case(case=case)[:50]),
        "can_refer": case.status == Case.Status.OPEN and user_has_capability(user, "referral.send"),
        "now": timezone.now(),
    }


@register.inclusion_tag("referrals/_nav_item.html", takes_context=True)
def referrals_nav_item(context):
    """The header's "Referrals" link, with how many wait for the agency's answer (counted
    with the header's other numbers: birge.home.context_processors)."""
    user = context["request"].user
    return {
        "shown": user_has_capability(user, "referral.receive")
        or user_has_capability(user, "referral.send"),
        "awaiting": context.get("referrals_awaiting", 0),
    }
