"""The case page's sections of proceedings and perpetrator programmes."""

from django import template

from birge.justice import selectors_proceedings as selectors
from birge.justice.services.proceedings import may_record_proceedings
from birge.justice.services.programmes import may_record_programmes

register = template.Library()


@register.inclusion_tag("justice/proceedings/_proceedings_section.html", takes_context=True)
def proceedings_section(context, case):
    """Proceedings against the case's perpetrators: the stage for everyone who sees the
    case, the details for those `birge.access.justice` allows; "Record proceedings"."""
    user = context["request"].user
    return {
        "case": case,
        "proceedings": selectors.proceedings_of_case(user=user, case=case),
        "can_record": may_record_proceedings(user=user, case=case),
    }


@register.inclusion_tag("justice/proceedings/_programmes_section.html", takes_context=True)
def programmes_section(context, case):
    """Perpetrator programmes: where he was referred, attendance, how it ended."""
    user = context["request"].user
    return {
        "case": case,
        "programmes": selectors.programmes_of_case(case=case),
        "can_record": may_record_programmes(user=user, case=case),
    }
