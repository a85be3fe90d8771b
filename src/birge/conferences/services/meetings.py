"""A meeting's life: planned (the chair builds the agenda; members add research) → in
session (attendees accept the confidentiality statement; each case is discussed, with
actions) → closed (the minutes stand; the actions are tracked). Or cancelled before it
sits, when its cases go back to the queue.

Discussing a case adds every attending agency to the case's circle, "for the purpose of
the conference", with the series' legal basis recorded on the membership and in the log.
"""

import hashlib
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birge.agencies.models import Agency
from birge.agencies.selectors import users_with_capability
from birge.audit.services import event_record
from birge.cases.models import Case, CircleMember
from birge.cases.services._common import case_coordinators
from birge.cases.services.circle import case_share
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchNote,
    ResearchTopic,
)
from birge.conferences.selectors import (
    queue_of_series,
    series_is_chair,
    series_is_member,
)
from birge.conferences.services._common import clean_text, require_chair, update_versioned
from birge.conferences.services.queue import _unmark_case
from birge.notifications.services import notify
from birge.privacy.fields import encrypted_for_row

Status = Meeting.Status
Outcome = AgendaItem.Outcome
RStatus = ConferenceReferral.Status
MAX_MINUTES = 120
PLAN_AHEAD_DAYS = 730


# --- Planning -------------------------------------------------------------------------


def meeting_plan(
    *, actor, series: ConferenceSeries, starts_at: datetime, place: str = ""
) -> Meeting:
    require_chair(actor, series)
    if not series.is_active:
        raise ValidationError(_("This conference series is no longer active."))
    if starts_at is None:
        raise ValidationError({"starts_at": _("Choose when the meeting starts.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A meeting is planned for a time still to come.")})
    if starts_at > timezone.now() + timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError({"starts_at": _("Plan meetings at most two years ahead.")})
    if Meeting.objects.filter(
        series=series, starts_at=starts_at, status__in=[Status.PLANNED, Status.IN_SESSION]
    ).exists():
        raise ValidationError({"starts_at": _("The series already meets at that time.")})
    place = clean_text(place, "place", "", required=False)[:200]
    with transaction.atomic():
        meeting = Meeting.objects.create(
            series=series, starts_at=starts_at, place=place, created_by=actor
        )
        _log(actor, meeting, "conference.meeting_planned")
    return meeting


def _require_planning(meeting: Meeting) -> None:
    if meeting.status not in (Status.PLANNED, Status.IN_SESSION):
        raise ValidationError(_("This meeting is closed: its agenda can no longer change."))


def agenda_add(
    *, actor, meeting: Meeting, referral: ConferenceReferral, minutes: int | None = None
) -> AgendaItem:
    """List a queued case on the meeting's agenda, at its end."""
    require_chair(actor, meeting.series)
    _require_planning(meeting)
    if referral.series_id != meeting.series_id or referral.status != RStatus.QUEUED:
        raise ValidationError({"referral": _("This case is not waiting in this series' queue.")})
    minutes = _clean_minutes(minutes, meeting.series)
    with transaction.atomic():
        update_versioned(referral, statuses=[RStatus.QUEUED], status=RStatus.LISTED)
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        try:
            with transaction.atomic():
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    referral=referral,
                    case_id=referral.case_id,
                    position=last + 1,
                    minutes=minutes,
                )
        except IntegrityError:
            raise ValidationError(
                {"referral": _("This case is already on the meeting's agenda.")}
            ) from None
        _log(actor, meeting, "conference.agenda_added", case=referral.case_id, item=item.pk)
    return item


# How long a meeting's agenda may run when it is built from the queue.
AGENDA_MINUTES = 180


def agenda_capacity(meeting: Meeting) -> tuple[int, int]:
    """(minutes per case, cases that fit): how many cases building the agenda lists."""
    per_case = meeting.series.minutes_per_case or 15
    return per_case, AGENDA_MINUTES // per_case


def agenda_build(*, actor, meeting: Meeting, limit: int | None = None) -> list[AgendaItem]:
    """List the queue's cases (critical first) until the meeting's time is full: as many
    as `limit`, or as fit in AGENDA_MINUTES (three hours) at the series' minutes per case."""
    require_chair(actor, meeting.series)
    _require_planning(meeting)
    listed = AgendaItem.objects.filter(meeting=meeting).count()
    room = limit if limit is not None else max(agenda_capacity(meeting)[1] - listed, 0)
    items = []
    with transaction.atomic():
        for referral in list(queue_of_series(meeting.series, viewer=actor)[:room]):
            items.append(agenda_add(actor=actor, meeting=meeting, referral=referral))
    return items


def agenda_remove(*, actor, item: AgendaItem) -> None:
    """Take a case off the agenda before it is discussed: it goes back to the queue."""
    require_chair(actor, item.meeting.series)
    _require_planning(item.meeting)
    if item.outcome != Outcome.PENDING or item.actions.exists():
        raise ValidationError(_("This case has been discussed: it stays on the agenda."))
    if ResearchNote.objects.filter(item=item).exists():
        raise ValidationError(_("Agencies have added research on this case: defer it instead."))
    with transaction.atomic():
        referral = item.referral
        update_versioned(referral, statuses=[RStatus.LISTED], status=RStatus.QUEUED)
        item.delete()
        _log(actor, item.meeting, "conference.agenda_removed", case=referral.case_id)


def agenda_arrange(*, actor, meeting: Meeting, order: dict[int, tuple[int, int]]) -> None:
    """Set each item's place and minutes: {item id: (position, minutes)}."""
    require_chair(actor, meeting.series)
    _require_planning(meeting)
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
    unknown = set(order) - set(items)
    if unknown:
        raise ValidationError(_("These agenda items are not on this meeting's agenda."))
    with transaction.atomic():
        for pk, (position, minutes) in order.items():
            if position is None or position < 1 or position > 999:
                raise ValidationError({"position": _("Give each case a place from 1 on.")})
            AgendaItem.objects.filter(pk=pk).update(
                position=position, minutes=_clean_minutes(minutes, meeting.series)
            )
        _log(actor, meeting, "conference.agenda_arranged")


def _clean_minutes(minutes, series: ConferenceSeries) -> int:
    if minutes in (None, ""):
        return series.minutes_per_case
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError(
            {"minutes": _("Give between 1 and %(max)d minutes.") % {"max": MAX_MINUTES}}
        )
    return minutes


def agenda_send(*, actor, meeting: Meeting) -> int:
    """Tell the member agencies that the agenda is ready for their research."""
    require_chair(actor, meeting.series)
    if meeting.status != Status.PLANNED:
        raise ValidationError(_("The agenda is sent before the meeting sits."))
    if not meeting.items.exists():
        raise ValidationError(_("The agenda has no cases yet."))
    with transaction.atomic():
        update_versioned(meeting, agenda_sent_at=timezone.now())
        members = list(meeting.series.members.values_list("pk", flat=True))
        recipients = [
            u
            for agency_id in members
            for u in users_with_capability("conference.attend", agency_id=agency_id)
        ]
        sent = notify(
            recipients=recipients,
            kind="conference.agenda",
            params={"date": _day(meeting), "count": meeting.items.count()},
            url=f"/conferences/meetings/{meeting.pk}/",
            dedupe_key=f"conference-agenda:{meeting.pk}:{meeting.version}",
        )
        _log(actor, meeting, "conference.agenda_sent")
    return sent


def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> None:
    require_chair(actor, meeting.series)
    reason = clean_text(reason, "reason", _("Write why the meeting is cancelled."))
    if meeting.status != Status.PLANNED:
        raise ValidationError(_("Only a meeting that has not sat can be cancelled."))
    with transaction.atomic():
        update_versioned(meeting, statuses=[Status.PLANNED], status=Status.CANCELLED)
        ConferenceReferral.objects.filter(items__meeting=meeting, status=RStatus.LISTED).update(
            status=RStatus.QUEUED
        )
        _log(actor, meeting, "conference.meeting_cancelled", reason=reason)


# --- Research -------------------------------------------------------------------------


def research_add(*, actor, item: AgendaItem, topic: str, text: str) -> ResearchNote:
    """A member agency records what it holds that is relevant to an agenda case."""
    meeting = item.meeting
    if not series_is_member(user=actor, series=meeting.series):
        raise PermissionDenied
    if actor.agency_id not in set(meeting.series.members.values_list("pk", flat=True)):
        raise PermissionDenied
    if meeting.status not in (Status.PLANNED, Status.IN_SESSION):
        raise ValidationError(_("Research is added before the meeting closes."))
    if topic not in ResearchTopic.values:
        raise ValidationError({"topic": _("Choose what the information is about.")})
    text = clean_text(text, "text", _("Write what your agency holds about this case."))
    with transaction.atomic():
        note = ResearchNote.objects.create(
            item=item, agency_id=actor.agency_id, author=actor, topic=topic, text=text
        )
        event_record(
            action="conference.research_added",
            actor=actor,
            object_type="case",
            object_id=item.case_id,
            data={"meeting": meeting.pk, "item": item.pk, "note": note.pk, "topic": topic},
        )
    return note


# --- The meeting ----------------------------------------------------------------------


def meeting_open(*, actor, meeting: Meeting, version: int | None = None) -> Meeting:
    require_chair(actor, meeting.series)
    if meeting.status != Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be opened."))
    with transaction.atomic():
        update_versioned(
            meeting,
            version=version,
            statuses=[Status.PLANNED],
            status=Status.IN_SESSION,
            opened_at=timezone.now(),
        )
        _log(actor, meeting, "conference.meeting_opened")
    return meeting


def statement_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def meeting_attend(*, actor, meeting: Meeting, accept: bool, language: str) -> Attendance:
    """She accepts the meeting's confidentiality statement: that is her attendance."""
    series = meeting.series
    if not (
        series_is_chair(user=actor, series=series) or series_is_member(user=actor, series=series)
    ):
        raise PermissionDenied
    if meeting.status != Status.IN_SESSION:
        raise ValidationError(_("Attendance is recorded while the meeting is in session."))
    if not accept:
        raise ValidationError(
            {"accept": _("Accept the confidentiality statement to attend the meeting.")}
        )
    earlier = Attendance.objects.filter(meeting=meeting, user=actor).first()
    if earlier is not None:
        raise ValidationError(
            _("You already accepted the confidentiality statement for this meeting, at %(time)s.")
            % {"time": formats.time_format(timezone.localtime(earlier.accepted_at), "H:i")},
            code="already",
        )
    language = language if language in ("az", "ru", "en") else "az"
    with transaction.atomic():
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    meeting=meeting,
                    user=actor,
                    agency_id=actor.agency_id,
                    accepted_at=timezone.now(),
                    statement_language=language,
                    statement_digest=statement_digest(series.confidentiality(language)),
                )
        except IntegrityError:
            raise ValidationError(
                _("You already accepted the confidentiality statement for this meeting."),
                code="already",
            ) from None
        _log(actor, meeting, "conference.attended", language=language)
    meeting._birge_attendees = None
    return attendance


def agencies_present(meeting: Meeting) -> set[int]:
    return set(Attendance.objects.filter(meeting=meeting).values_list("agency_id", flat=True))


def quorum_reached(meeting: Meeting) -> bool:
    members = set(meeting.series.members.values_list("pk", flat=True))
    return len(agencies_present(meeting) & members) >= meeting.series.quorum


def _require_session(actor, meeting: Meeting) -> None:
    require_chair(actor, meeting.series)
    if meeting.status != Status.IN_SESSION:
        raise ValidationError(_("This is recorded while the meeting is in session."))
    if not Attendance.objects.filter(meeting=meeting, user=actor).exists():
        raise ValidationError(
            _("Accept the meeting's confidentiality statement first: you attend it too.")
        )


def item_discuss(
    *,
    actor,
    item: AgendaItem,
    summary: str,
    victim_view: str,
    risks: str,
    version: int | None = None,
) -> AgendaItem:
    """Record the discussion of a case; the attending agencies join its circle."""
    meeting = item.meeting
    _require_session(actor, meeting)
    if not quorum_reached(meeting):
        raise ValidationError(_quorum_message(meeting), code="quorum")
    if item.outcome == Outcome.DEFERRED:
        raise ValidationError(_("This case was deferred to a later meeting."))
    summary = clean_text(summary, "summary", _("Write a summary of the case as discussed."))
    victim_view = clean_text(
        victim_view, "victim_view", _("Write her view, as her coordinator gave it.")
    )
    risks = clean_text(risks, "risks", _("Write the risks the meeting identified."))
    now = timezone.now()
    first = item.outcome == Outcome.PENDING
    with transaction.atomic():
        update_versioned(
            item,
            version=version,
            outcome=Outcome.HEARD,
            summary=summary,
            victim_view=victim_view,
            risks=risks,
            discussed_at=item.discussed_at or now,
            discussed_by=actor,
        )
        if first:
            _heard(actor=actor, item=item, now=now)
        event_record(
            action="conference.case_discussed",
            actor=actor,
            object_type="case",
            object_id=item.case_id,
            data={"meeting": meeting.pk, "item": item.pk},
        )
    return item


def _heard(*, actor, item: AgendaItem, now: datetime) -> None:
    """The referral is heard (an earlier watch of the case in the series ends in it), the
    case no longer waits, and the attending agencies join the circle."""
    meeting = item.meeting
    referral = item.referral
    earlier = ConferenceReferral.objects.filter(
        series=meeting.series, case_id=item.case_id, status=RStatus.HEARD
    ).exclude(pk=referral.pk)
    for pk in earlier.values_list("pk", flat=True):
        # The note is encrypted for its row, so each row is written on its own (a case is
        # under one watch per series: one row, rarely two).
        ConferenceReferral.objects.filter(pk=pk).update(
            status=RStatus.CLOSED,
            closed_at=now,
            **encrypted_for_row(ConferenceReferral, pk=pk, close_note="heard again"),
        )
    update_versioned(
        referral,
        statuses=[RStatus.LISTED],
        status=RStatus.HEARD,
        heard_at=meeting.starts_at,
        heard_meeting=meeting,
    )
    case = Case.objects.select_related("coordinator").get(pk=item.case_id)
    _unmark_case(case)
    joined = conference_join_circle(actor=actor, case=case, meeting=meeting)
    if joined:
        notify(
            recipients=[u for u in case_coordinators(case) if u.pk != actor.pk],
            kind="conference.circle_joined",
            params={"reference": case.reference, "count": len(joined)},
            url=f"/cases/{case.pk}/",
            dedupe_key=f"conference-circle:{meeting.pk}:{case.pk}",
        )


def conference_join_circle(*, actor, case: Case, meeting: Meeting) -> list[int]:
    """Every attending agency not yet in the circle joins it (birge.cases.services.
    case_share, route `conference`), on the series' legal basis, for the purpose of the
    conference. Returns the agencies that joined."""

    inside = CircleMember.objects.filter(case=case, removed_at__isnull=True).values("agency_id")
    joining = Agency.objects.filter(pk__in=agencies_present(meeting)).exclude(pk__in=inside)
    reason = (
        f"{meeting.series.legal_basis.strip()} "
        f"(risk conference {meeting.series.code}, meeting {meeting.pk})"
    )
    joined = []
    for agency in joining.order_by("pk"):
        case_share(
            actor=actor,
            case=case,
            agency=agency,
            route=CircleMember.Route.CONFERENCE,
            reason=reason,
        )
        joined.append(agency.pk)
    return joined


def item_defer(*, actor, item: AgendaItem) -> AgendaItem:
    """Not discussed at this meeting: the case goes back to the queue for the next."""
    _require_session(actor, item.meeting)
    if item.outcome != Outcome.PENDING:
        raise ValidationError(_("Only a case not yet discussed can be deferred."))
    with transaction.atomic():
        update_versioned(item, outcome=Outcome.DEFERRED)
        update_versioned(item.referral, statuses=[RStatus.LISTED], status=RStatus.QUEUED)
        _log(actor, item.meeting, "conference.case_deferred", case=item.case_id)
    return item


def meeting_close(*, actor, meeting: Meeting, version: int | None = None) -> Meeting:
    """Close the meeting: quorum reached, every case discussed or deferred, every action
    with a named person. Its minutes then stand."""
    require_chair(actor, meeting.series)
    if meeting.status != Status.IN_SESSION:
        raise ValidationError(_("Only a meeting in session can be closed."))
    problems = []
    if not quorum_reached(meeting):
        problems.append(_quorum_message(meeting))
    pending = list(meeting.items.filter(outcome=Outcome.PENDING).values_list("case_id", flat=True))
    if pending:
        references = ", ".join(c.reference for c in Case.objects.filter(pk__in=pending))
        problems.append(
            _("Discuss or defer every case first; not yet discussed: %(cases)s.")
            % {"cases": references}
        )
    unassigned = ConferenceAction.objects.filter(
        item__meeting=meeting, person__isnull=True, status=ConferenceAction.Status.OPEN
    ).count()
    if unassigned:
        problems.append(
            ngettext(
                "%(n)d action has no named person responsible: name one first.",
                "%(n)d actions have no named person responsible: name one for each first.",
                unassigned,
            )
            % {"n": unassigned}
        )
    if problems:
        raise ValidationError(problems, code="incomplete")
    with transaction.atomic():
        update_versioned(
            meeting,
            version=version,
            statuses=[Status.IN_SESSION],
            status=Status.CLOSED,
            closed_at=timezone.now(),
            closed_by=actor,
        )
        _log(actor, meeting, "conference.meeting_closed")
    return meeting


def _quorum_message(meeting: Meeting) -> str:
    members = set(meeting.series.members.values_list("pk", flat=True))
    present = len(agencies_present(meeting) & members)
    return _(
        "The quorum is not reached: %(present)d of the %(quorum)d member agencies needed "
        "are present."
    ) % {"present": present, "quorum": meeting.series.quorum}


def _day(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).date().isoformat()


def _log(actor, meeting: Meeting, action: str, *, reason: str = "", **data) -> None:
    event_record(
        action=action,
        actor=actor,
        object_type="meeting",
        object_id=meeting.pk,
        reason=reason,
        data={"series": meeting.series_id, **data},
    )
