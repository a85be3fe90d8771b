"""Reads of the risk conference: the queue, the watch and the open actions, in their order.

Who may see which series, meeting, agenda item, research note or action is decided in
`birge.access.conferences` (re-exported here for the views and the API, which ask through
this module); nothing here writes a visibility rule of its own.
"""

from django.db.models import Case as When_
from django.db.models import IntegerField, Q, QuerySet, Value, When

from birge.access.cases import cases_visible_to
from birge.access.conferences import (  # noqa: F401 -- the rules, asked through selectors
    Brief,
    BriefPerson,
    action_get_for_user,
    actions_visible_to,
    case_shown_in_full,
    cases_shown_to,
    figures_visible,
    item_get_for_user,
    items_visible_to,
    may_see_discussion,
    meeting_attends,
    meeting_get_for_user,
    meetings_visible_to,
    research_brief,
    research_visible_to,
    series_chaired_by,
    series_get_for_user,
    series_is_chair,
    series_is_member,
    series_of_member,
    series_visible_to,
)
from birge.agencies.selectors import user_has_capability
from birge.conferences.models import ConferenceAction, ConferenceReferral, ConferenceSeries


def cases_openable(user, case_ids) -> set[int]:
    """Which of these cases the user may open (the case page's rule): one query, for the
    links of a list."""
    return set(cases_visible_to(user).filter(pk__in=list(case_ids)).values_list("pk", flat=True))


def series_for_case(case) -> ConferenceSeries | None:
    """The conference of the case's area (the first active one, when there are several)."""
    return (
        ConferenceSeries.objects.filter(region_id=case.region_id, is_active=True)
        .order_by("id")
        .first()
    )


def queue_of_series(series: ConferenceSeries, *, viewer=None) -> QuerySet[ConferenceReferral]:
    """The cases waiting for the series: critical first, then high, then the oldest.
    With a `viewer`, only the cases she may see listed (birge.access.conferences)."""
    queue = ConferenceReferral.objects.filter(
        series=series, status=ConferenceReferral.Status.QUEUED
    )
    if viewer is not None:
        queue = cases_shown_to(viewer, queue)
    return _in_queue_order(queue).select_related("case", "referred_by__agency", "risk_assessment")


def _in_queue_order(queue: QuerySet[ConferenceReferral]) -> QuerySet[ConferenceReferral]:
    """Critical first, then high, then medium, then the rest; the oldest first within."""
    rank = When_(
        When(risk_level="critical", then=Value(0)),
        When(risk_level="high", then=Value(1)),
        When(risk_level="medium", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queue.annotate(rank=rank).order_by("rank", "referred_at", "id")


def queue_chaired_by(user) -> QuerySet[ConferenceReferral]:
    """The cases waiting for every series she is on the chair side of, in the queue's
    order, only those she may see listed (the home page's "my work")."""
    queue = ConferenceReferral.objects.filter(
        series__in=series_chaired_by(user).values("pk"),
        status=ConferenceReferral.Status.QUEUED,
    )
    return _in_queue_order(cases_shown_to(user, queue)).select_related("case", "series")


def watch_of_series(series: ConferenceSeries, *, viewer=None) -> QuerySet[ConferenceReferral]:
    """Cases heard and still under the series' watch (as `queue_of_series` for a viewer)."""
    watch = ConferenceReferral.objects.filter(series=series, status=ConferenceReferral.Status.HEARD)
    if viewer is not None:
        watch = cases_shown_to(viewer, watch)
    return watch.select_related("case", "heard_meeting").order_by("heard_at", "id")


def action_may_complete(*, user, action: ConferenceAction) -> bool:
    if action.status != ConferenceAction.Status.OPEN:
        return False
    if action.person_id == user.pk:
        return True
    return user.agency_id == action.agency_id and (
        user_has_capability(user, "conference.attend")
        or user_has_capability(user, "agency.oversee")
    )


def open_actions_of_series(
    series: ConferenceSeries, *, before=None, viewer=None
) -> QuerySet[ConferenceAction]:
    """Open actions of earlier meetings, for the next agenda (the oldest due first); as
    `queue_of_series` for a viewer."""
    actions = ConferenceAction.objects.filter(series=series, status=ConferenceAction.Status.OPEN)
    if before is not None:
        actions = actions.filter(item__meeting__starts_at__lt=before)
    if viewer is not None:
        actions = cases_shown_to(viewer, actions)
    return actions.select_related("case", "agency", "person", "item__meeting").order_by(
        "due_on", "id"
    )


def actions_owed(user) -> QuerySet[ConferenceAction]:
    """Open actions her agency, or she herself, must carry out, the earliest due first
    (the home page's "my work")."""
    return (
        actions_visible_to(user)
        .filter(Q(agency_id=user.agency_id) | Q(person_id=user.pk))
        .filter(status=ConferenceAction.Status.OPEN)
        .select_related("case", "series")
        .order_by("due_on", "id")
    )
