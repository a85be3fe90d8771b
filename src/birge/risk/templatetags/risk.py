from django import template
from django.utils import timezone

from birge.access.fields import case_scopes
from birge.agencies.selectors import user_has_capability
from birge.risk import selectors

register = template.Library()


@register.inclusion_tag("risk/_risk_section.html", takes_context=True)
def risk_section(context, case):
    """The case page's risk section: level, due date, chart and assessments."""
    user = context["request"].user
    # The newest 50 are listed; with no more than that, the chart draws from them too.
    assessments = list(selectors.assessments_of(case)[:51])
    return {
        "case": case,
        "assessments": assessments[:50],
        "risk_chart": selectors.risk_chart(
            case,
            hidden=selectors.items_hidden_from(case_scopes(user=user, case=case)),
            assessments=assessments if len(assessments) <= 50 else None,
        ),
        "reassessment_overdue": bool(
            case.reassessment_due_at and case.reassessment_due_at < timezone.now()
        ),
        "can_assess": user_has_capability(user, "risk.assess"),
    }
