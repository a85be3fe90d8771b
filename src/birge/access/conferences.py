"""Who may see what of the risk conference. Outside these rules a series, meeting, agenda
item or action does not exist: the same 404 as for one that was never there.

- The chair side of a series: its chair, and users with `conference.chair` in the chair's
  agency (a deputy). They run the queue, the agenda, the meeting and the watch.
- A member: a user with `conference.attend` whose agency sits in the series. Members see
  the series' meetings; before and during a meeting, only the agenda's cases and only
  what research needs (who the victim, the perpetrator and the children are, and the
  risk level): the research brief.
- An attendee of a meeting: a chair-side user or member who accepted the meeting's
  confidentiality statement. Only attendees see the research, the discussion, the actions
  and the minutes of that meeting. A research note's author sees her own note too.
- The responsible agency of an action (its users with `conference.attend` or
  `agency.oversee`) sees the action, to carry it out, and the named person does.
- Figures (aggregates, no person): the chair side, members' agency leads, and the
  coordinating body (`stats.view`, `protocol.manage`). Series settings: administrators.

Whatever concerns a case composes the case predicates of `birge.access.predicates`, as
every other rule does: a retired case is on no list, a case involving a person the viewer
declared a relation to is not shown to her at all, and a sealed case shows its reference
only to anyone not named on the seal.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from birge.access import predicates as p
from birge.access.registry import Record, models
from birge.access.trail import access_denied_record
from birge.agencies.models import User
from birge.agencies.selectors import user_has_capability

NATIONAL = ("stats.view", "protocol.manage", "agencies.manage")
PLANNED, IN_SESSION = "planned", "in_session"


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _not_found(user: User, object_type: str, object_id: int) -> Http404:
    access_denied_record(user=user, object_type=object_type, object_id=object_id)
    return Http404()


def cases_shown_to(viewer: User, queryset: QuerySet, path: str = "case") -> QuerySet:
    """Of conference records about cases, those the viewer may see listed: not retired and
    involving nobody she declared a relation to."""
    return queryset.filter(p.not_retired(path) & p.no_declared_relation(viewer, path))


def case_shown_in_full(*, user: User, case: Record) -> bool:
    """A sealed case shows only its reference to anyone not named on the seal."""
    return not case.sealed or case.pk in p.sealed_case_ids(user)


# --- Series ---------------------------------------------------------------------------


def _chair_side(user: User) -> Q:
    rule = Q(chair_id=user.pk)
    if user_has_capability(user, "conference.chair"):
        rule |= Q(chair__agency_id=user.agency_id)
    return rule


def _member(user: User) -> Q:
    if not user_has_capability(user, "conference.attend"):
        return p.NOTHING
    return Q(members__id=user.agency_id)


def series_chaired_by(user: User) -> QuerySet:
    if not _active(user):
        return models.conference_series.objects.none()
    return models.conference_series.objects.filter(_chair_side(user))


def series_of_member(user: User) -> QuerySet:
    """The series whose meetings she may open: as chair side or as member."""
    if not _active(user):
        return models.conference_series.objects.none()
    return models.conference_series.objects.filter(_chair_side(user) | _member(user)).distinct()


def series_visible_to(user: User) -> QuerySet:
    """Series she may open the page of: hers (chair or member), or every one for the
    coordinating body and administrators (settings and figures only; never a case)."""
    if not _active(user):
        return models.conference_series.objects.none()
    if any(user_has_capability(user, c) for c in NATIONAL):
        return models.conference_series.objects.all()
    rule = _chair_side(user) | _member(user)
    if user_has_capability(user, "agency.oversee"):
        rule |= Q(members__id=user.agency_id)
    return models.conference_series.objects.filter(rule).distinct()


def series_get_for_user(*, user: User, series_id: int | str) -> Model:
    series_id = _int(series_id)
    found = series_visible_to(user).filter(pk=series_id).select_related("region", "chair").first()
    if found is None:
        raise _not_found(user, "conference_series", series_id)
    return found


def series_is_chair(*, user: User, series: Record) -> bool:
    return series_chaired_by(user).filter(pk=series.pk).exists()


def series_is_member(*, user: User, series: Record) -> bool:
    return series_of_member(user).filter(pk=series.pk).exists()


def figures_visible(*, user: User, series: Record) -> bool:
    if any(user_has_capability(user, c) for c in NATIONAL):
        return True
    if series_is_chair(user=user, series=series):
        return True
    return (
        user_has_capability(user, "agency.oversee")
        and series.members.filter(pk=user.agency_id).exists()
    )


# --- Meetings and their items ---------------------------------------------------------


def meetings_visible_to(user: User) -> QuerySet:
    return models.meeting.objects.filter(series__in=series_of_member(user).values("pk"))


def meeting_get_for_user(*, user: User, meeting_id: int | str) -> Model:
    meeting_id = _int(meeting_id)
    meeting = (
        meetings_visible_to(user)
        .select_related("series__region", "series__chair__agency")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise _not_found(user, "meeting", meeting_id)
    return meeting


def meeting_attends(*, user: User, meeting: Record) -> bool:
    """She accepted this meeting's confidentiality statement."""
    cached = getattr(meeting, "_birge_attendees", None)
    if cached is None:
        cached = set(
            models.attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)
        )
        meeting._birge_attendees = cached
    return user.pk in cached


def items_visible_to(*, user: User, meeting: Record) -> QuerySet:
    """The agenda she may see: all of it for attendees and the chair side; for other
    members, until the meeting closes (they research it)."""
    items = models.agenda_item.objects.filter(meeting=meeting)
    if not (
        meeting_attends(user=user, meeting=meeting)
        or series_is_chair(user=user, series=meeting.series)
        or meeting.status in (PLANNED, IN_SESSION)
    ):
        return items.none()
    return (
        cases_shown_to(user, items)
        .select_related("case", "referral__risk_assessment")
        .order_by("position", "id")
    )


def item_get_for_user(*, user: User, meeting: Record, item_id: int | str) -> Model:
    item_id = _int(item_id)
    item = items_visible_to(user=user, meeting=meeting).filter(pk=item_id).first()
    if item is None:
        raise _not_found(user, "agenda_item", item_id)
    return item


def may_see_discussion(*, user: User, meeting: Record) -> bool:
    """The discussion, the actions, the research of others and the minutes: attendees."""
    return meeting_attends(user=user, meeting=meeting)


def research_visible_to(*, user: User, item: Record) -> QuerySet:
    notes = models.research_note.objects.filter(item=item).select_related("agency", "author")
    if not case_shown_in_full(user=user, case=item.case):
        return notes.filter(author=user)
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


BRIEF_PARTS = ("victim", "perpetrator", "child")


def research_brief(*, user: User, item: Record) -> Brief:
    """Who the victim, the perpetrator(s) and the children are: names and dates of birth
    (the case record), for each agency to look up in its own records. A sealed case shows
    none of it to a user not named on the seal."""
    case = item.case
    if not case_shown_in_full(user=user, case=case):
        return Brief(sealed=True, people=[])
    parts = models.participant.objects.filter(case=case, part__in=BRIEF_PARTS).select_related(
        "person"
    )
    people = []
    for cp in sorted(parts, key=lambda part: (BRIEF_PARTS.index(part.part), part.pk)):
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


def actions_visible_to(user: User) -> QuerySet:
    """Actions of meetings she attended, and her agency's actions (to carry them out)."""
    if not _active(user):
        return models.conference_action.objects.none()
    attended = models.attendance.objects.filter(meeting_id=OuterRef("item__meeting_id"), user=user)
    rule = Q(Exists(attended)) | Q(person=user)
    if user_has_capability(user, "conference.attend") or user_has_capability(
        user, "agency.oversee"
    ):
        rule |= Q(agency_id=user.agency_id)
    return cases_shown_to(user, models.conference_action.objects.filter(rule))


def action_get_for_user(*, user: User, action_id: int | str) -> Model:
    action_id = _int(action_id)
    action = (
        actions_visible_to(user)
        .select_related("item__meeting__series", "case", "agency", "person", "series")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise _not_found(user, "conference_action", action_id)
    return action
