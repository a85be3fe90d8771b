"""Who sees which statistics: the coordinating body's analysts (and whoever manages the
protocol) the whole country; an agency lead the cases her agency opened; everyone else a
404, as for a page that is not there."""

from django.http import Http404

from birge.agencies.selectors import user_has_capability

NATIONAL = ("stats.view",)


def statistics_scope(user) -> int | None:
    """None: the whole country; an agency's id: only the cases it opened."""
    if any(user_has_capability(user, capability) for capability in NATIONAL):
        return None
    if user_has_capability(user, "agency.oversee") and user.agency_id:
        return user.agency_id
    raise Http404
