"""The case page's sections of proceedings and perpetrator programmes."""

from django import template

from birge.justice import selectors_proceedings as selectors
from birge.justice.services.proceedings import may_record_proceedings
from birge.justice.services.programmes import may_record_programmes

register = template.Library()


def _lists(context, case):
    """Both sections' rows, read once for the page (one query: the case page's budget)."""
    key = f"_justice_lists_{case.pk}"
    root = context.dicts[0]
    if key not in root:
        root[key] = selectors.case_justice_lists(user=context["request"].user, case=case)
    return root[key]


@register.inclusion_tag("justice/proceedings/_proceedings_section.html", takes_context=True)
def proceedings_section(context, case):
    """Proceedings against the case's perpetrators: the stage for everyone who sees the
    case, the details for those `birge.access.justice` allows; "Record proceedings"."""
    user = context["request"].user
    proceedings, _programmes = _lists(context, case)
    return {
        "case": case,
        "proceedings": proceedings,
        "can_record": may_record_proceedings(user=user, case=case),
    }


@register.inclusion_tag("justice/proceedings/_programmes_section.html", takes_context=True)
def programmes_section(context, case):
    """Perpetrator programmes: where he was referred, attendance, how it ended."""
    user = context["request"].user
    _proceedings, programmes = _lists(context, case)
    return {
        "case": case,
        "programmes": programmes,
        "can_record": may_record_programmes(user=user, case=case),
    }
