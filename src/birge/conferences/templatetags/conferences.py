from django import template
from django.utils import timezone

from birge.agencies.selectors import user_has_capability
from birge.cases.models import Case
from birge.conferences.models import Concern, ConferenceAction, ConferenceReferral
from birge.conferences.selectors import series_for_case

register = template.Library()

WAITING = (ConferenceReferral.Status.QUEUED, ConferenceReferral.Status.LISTED)
CONCERNS = dict(Concern.choices)


@register.inclusion_tag("conferences/_nav_item.html", takes_context=True)
def conferences_nav_item(context):
    """The header's "Risk conferences" link: for those who chair, attend or refer, and
    for administrators (who set the series up)."""
    user = context["request"].user
    capabilities = ("conference.chair", "conference.attend", "conference.refer", "agencies.manage")
    return {"shown": any(user_has_capability(user, c) for c in capabilities)}


@register.inclusion_tag("conferences/_conference_section.html", takes_context=True)
def conference_section(context, case):
    """The case page's conference status: waiting in a queue, heard and watched, or no
    conference for the area; and "Refer to the risk conference". No meeting content."""
    user = context["request"].user
    referrals = list(
        ConferenceReferral.objects.filter(case=case)
        .select_related("series")
        .order_by("-referred_at", "-id")[:20]
    )
    waiting = next((r for r in referrals if r.status in WAITING), None)
    heard = next((r for r in referrals if r.status == ConferenceReferral.Status.HEARD), None)
    # The conference of her area: the one she was referred to, when it is that area's and
    # still meets; asked of the database only when no referral tells (none is needed
    # while she waits in a queue: she cannot be referred again meanwhile).
    series = next(
        (
            r.series
            for r in referrals
            if r.series.is_active and r.series.region_id == case.region_id
        ),
        None,
    )
    if series is None and waiting is None:
        series = series_for_case(case)
    # The case's circle sees what each agency promised for her, and whether it was kept
    # (promises are made on an agenda item, which a referral put there: none without one).
    actions = (
        list(
            ConferenceAction.objects.filter(case=case)
            .select_related("agency", "person")
            .order_by("status", "due_on", "id")[:100]
        )
        if referrals
        else []
    )
    return {
        "case": case,
        "actions": actions,
        "today": timezone.localdate(),
        "referrals": referrals,
        "waiting": waiting,
        "heard": heard,
        "series": series,
        "can_refer": waiting is None
        and series is not None
        and case.status == Case.Status.OPEN
        and user_has_capability(user, "conference.refer"),
    }


@register.filter
def concern_labels(codes) -> str:
    """An action's concerns, in the reader's language."""
    return ", ".join(str(CONCERNS.get(code, code)) for code in codes or [])
