"""Who may see what of the risk conference: the one place that decides, in birge.access's
style. Outside these rules a series, meeting, agenda item or action does not exist: the
same 404 as for one that was never there.

- The chair side of a series: its chair, and users with `conference.chair` in the chair's
  agency (a deputy). They run the queue, the agenda, the meeting and the watch.
- A member: a user with `conference.attend` whose agency sits in the series. Members see
  the series' meetings; before and during a meeting, only the agenda's cases and only
  what research needs (who the victim, the perpetrator and the children are, and the
  risk level): the research brief.
- An attendee of a meeting: a chair-side user or member who accepted the meeting's
  confidentiality statement (birge.conferences.models.Attendance). Only attendees see the
  research, the discussion, the actions and the minutes of that meeting. A research note's
  author sees her own note too.
- A case that is sealed, or involves a person the user declared a relation to, shows its
  reference only (sealed) or not at all (declared relation), as on every other page.
- The responsible agency of an action (its users with `conference.attend` or
  `agency.oversee`) sees the action, to carry it out, and the named person does.
- Figures (aggregates, no person): the chair side, members' agency leads, and the
  coordinating body (`stats.view`, `protocol.manage`). Series settings: administrators.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from birge.agencies.selectors import user_has_capability
from birge.cases.models import CasePerson, ConflictDeclaration, Part, SealedAccess
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchNote,
)

NATIONAL = ("stats.view", "protocol.manage", "agencies.manage")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Series ---------------------------------------------------------------------------


def _chair_side(user) -> Q:
    rule = Q(chair_id=user.pk)
    if user_has_capability(user, "conference.chair"):
        rule |= Q(chair__agency_id=user.agency_id)
    return rule


def _member(user) -> Q:
    if not user_has_capability(user, "conference.attend"):
        return Q(pk__in=[])
    return Q(members__id=user.agency_id)


def series_chaired_by(user) -> QuerySet[ConferenceSeries]:
    if not _active(user):
        return ConferenceSeries.objects.none()
    return ConferenceSeries.objects.filter(_chair_side(user))


def series_of_member(user) -> QuerySet[ConferenceSeries]:
    """The series whose meetings she may open: as chair side or as member."""
    if not _active(user):
        return ConferenceSeries.objects.none()
    return ConferenceSeries.objects.filter(_chair_side(user) | _member(user)).distinct()


def series_visible_to(user) -> QuerySet[ConferenceSeries]:
    """Series she may open the page of: hers (chair or member), or every one for the
    coordinating body and administrators (settings and figures only; never a case)."""
    if not _active(user):
        return ConferenceSeries.objects.none()
    if any(user_has_capability(user, c) for c in NATIONAL):
        return ConferenceSeries.objects.all()
    rule = _chair_side(user) | _member(user)
    if user_has_capability(user, "agency.oversee"):
        rule |= Q(members__id=user.agency_id)
    return ConferenceSeries.objects.filter(rule).distinct()


def series_get_for_user(*, user, series_id) -> ConferenceSeries:
    series = series_visible_to(user).filter(pk=_int(series_id)).select_related("region", "chair")
    found = series.first()
    if found is None:
        raise Http404
    return found


def series_is_chair(*, user, series: ConferenceSeries) -> bool:
    return series_chaired_by(user).filter(pk=series.pk).exists()


def series_is_member(*, user, series: ConferenceSeries) -> bool:
    return series_of_member(user).filter(pk=series.pk).exists()


def series_for_case(case) -> ConferenceSeries | None:
    """The conference of the case's area (the first active one, when there are several)."""
    return (
        ConferenceSeries.objects.filter(region_id=case.region_id, is_active=True)
        .order_by("id")
        .first()
    )


def queue_of_series(series: ConferenceSeries, *, viewer=None) -> QuerySet[ConferenceReferral]:
    """The cases waiting for the series: critical first, then high, then the oldest.
    With a `viewer`, without the cases involving a person she declared a relation to
    (a deputy chair lists those)."""
    from django.db.models import Case as When_
    from django.db.models import IntegerField, Value, When

    rank = When_(
        When(risk_level="critical", then=Value(0)),
        When(risk_level="high", then=Value(1)),
        When(risk_level="medium", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    queue = ConferenceReferral.objects.filter(
        series=series, status=ConferenceReferral.Status.QUEUED
    )
    if viewer is not None:
        hidden = case_ids_hidden_from(viewer, queue.values("case_id"))
        if hidden:
            queue = queue.exclude(case_id__in=hidden)
    return (
        queue.select_related("case", "referred_by__agency", "risk_assessment")
        .annotate(rank=rank)
        .order_by("rank", "referred_at", "id")
    )


def watch_of_series(series: ConferenceSeries, *, viewer=None) -> QuerySet[ConferenceReferral]:
    """Cases heard and still under the series' watch (as `queue_of_series` for a viewer)."""
    watch = ConferenceReferral.objects.filter(series=series, status=ConferenceReferral.Status.HEARD)
    if viewer is not None:
        hidden = case_ids_hidden_from(viewer, watch.values("case_id"))
        if hidden:
            watch = watch.exclude(case_id__in=hidden)
    return watch.select_related("case", "heard_meeting").order_by("heard_at", "id")


# --- Meetings and their items ---------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__in=series_of_member(user).values("pk"))


def meeting_get_for_user(*, user, meeting_id) -> Meeting:
    meeting = (
        meetings_visible_to(user)
        .select_related("series__region", "series__chair__agency")
        .filter(pk=_int(meeting_id))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meeting_attends(*, user, meeting: Meeting) -> bool:
    """She accepted this meeting's confidentiality statement."""
    cached = getattr(meeting, "_birge_attendees", None)
    if cached is None:
        cached = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        meeting._birge_attendees = cached
    return user.pk in cached


def case_ids_hidden_from(user, case_ids) -> set[int]:
    """Of these cases (ids, or a subquery of them), those involving a person she declared
    a relation to: they stay out of every conference list and page she sees."""
    digests = ConflictDeclaration.objects.filter(user=user, withdrawn_at__isnull=True).values(
        "digest"
    )
    return set(
        CasePerson.objects.filter(case_id__in=case_ids, person__indexes__digest__in=digests)
        .values_list("case_id", flat=True)
        .distinct()
    )


def items_visible_to(*, user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda she may see: all of it for attendees and the chair side; for other
    members, until the meeting closes (they research it). Never a case involving a person
    she declared a relation to."""
    items = AgendaItem.objects.filter(meeting=meeting)
    if not (
        meeting_attends(user=user, meeting=meeting)
        or series_is_chair(user=user, series=meeting.series)
        or meeting.status in (Meeting.Status.PLANNED, Meeting.Status.IN_SESSION)
    ):
        return items.none()
    hidden = case_ids_hidden_from(user, items.values("case_id"))
    if hidden:
        items = items.exclude(case_id__in=hidden)
    return items.select_related("case", "referral__risk_assessment").order_by("position", "id")


def item_get_for_user(*, user, meeting: Meeting, item_id) -> AgendaItem:
    item = items_visible_to(user=user, meeting=meeting).filter(pk=_int(item_id)).first()
    if item is None:
        raise Http404
    return item


def may_see_discussion(*, user, meeting: Meeting) -> bool:
    """The discussion, the actions, the research of others and the minutes: attendees."""
    return meeting_attends(user=user, meeting=meeting)


def research_visible_to(*, user, item: AgendaItem) -> QuerySet[ResearchNote]:
    notes = ResearchNote.objects.filter(item=item).select_related("agency", "author")
    if may_see_discussion(user=user, meeting=item.meeting):
        return notes
    return notes.filter(author=user)


@dataclass(frozen=True)
class BriefPerson:
    part: str
    part_label: str
    name: str
    birth: str  # the date of birth, or "≈ age"


@dataclass(frozen=True)
class Brief:
    """What research needs about an agenda case, and nothing more."""

    sealed: bool
    people: list[BriefPerson]


def research_brief(*, user, item: AgendaItem) -> Brief:
    """Who the victim, the perpetrator(s) and the children are: names and dates of birth,
    for each agency to look up in its own records. A sealed case shows none of it to a
    user not named on the seal."""
    case = item.case
    if case.sealed and not SealedAccess.objects.filter(case=case, user=user).exists():
        return Brief(sealed=True, people=[])
    parts = (
        CasePerson.objects.filter(case=case, part__in=[Part.VICTIM, Part.PERPETRATOR, Part.CHILD])
        .select_related("person")
        .order_by("part", "id")
    )
    order = {Part.VICTIM: 0, Part.PERPETRATOR: 1, Part.CHILD: 2}
    people = []
    for cp in sorted(parts, key=lambda p: (order[p.part], p.pk)):
        person = cp.person
        if person.birth_date:
            birth = person.birth_date.isoformat()
        elif person.approximate_age:
            birth = f"≈ {person.approximate_age}"
        else:
            birth = ""
        people.append(BriefPerson(cp.part, str(cp.get_part_display()), person.full_name, birth))
    return Brief(sealed=False, people=people)


# --- Actions --------------------------------------------------------------------------


def actions_visible_to(user) -> QuerySet[ConferenceAction]:
    """Actions of meetings she attended, and her agency's actions (to carry them out)."""
    if not _active(user):
        return ConferenceAction.objects.none()
    attended = Attendance.objects.filter(meeting_id=OuterRef("item__meeting_id"), user=user)
    rule = Q(Exists(attended)) | Q(person=user)
    if user_has_capability(user, "conference.attend") or user_has_capability(
        user, "agency.oversee"
    ):
        rule |= Q(agency_id=user.agency_id)
    return ConferenceAction.objects.filter(rule)


def action_get_for_user(*, user, action_id) -> ConferenceAction:
    action = (
        actions_visible_to(user)
        .select_related("item__meeting__series", "case", "agency", "person", "series")
        .filter(pk=_int(action_id))
        .first()
    )
    if action is None:
        raise Http404
    return action


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
        hidden = case_ids_hidden_from(viewer, actions.values("case_id"))
        if hidden:
            actions = actions.exclude(case_id__in=hidden)
    return actions.select_related("case", "agency", "person", "item__meeting").order_by(
        "due_on", "id"
    )


def figures_visible(*, user, series: ConferenceSeries) -> bool:
    if any(user_has_capability(user, c) for c in NATIONAL):
        return True
    if series_is_chair(user=user, series=series):
        return True
    return (
        user_has_capability(user, "agency.oversee")
        and series.members.filter(pk=user.agency_id).exists()
    )
