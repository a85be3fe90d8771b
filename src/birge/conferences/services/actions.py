"""Conference actions: what each agency promised the conference to do for a case, who
does it, by when, and whom it protects or addresses. Tracked to completion; overdue ones
remind and escalate (birge.jobs.conferences). A case leaves the conference's watch when
its actions are done and the chair closes it there."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birge.agencies.models import Agency, User
from birge.audit.services import event_record
from birge.conferences.models import (
    AgendaItem,
    Concern,
    ConferenceAction,
    ConferenceReferral,
    Meeting,
)
from birge.conferences.selectors import action_may_complete
from birge.conferences.services._common import clean_text, require_chair, update_versioned
from birge.notifications.services import notify

AStatus = ConferenceAction.Status


def _clean_action(
    *, agency: Agency | None, person: User | None, due_on: date | None, concerns
) -> tuple[Agency, date, list[str]]:
    """The agency, the due date and the concerns, checked; ValidationError otherwise."""
    errors = {}
    if agency is None:
        errors["agency"] = _("Choose the agency responsible for the action.")
    elif not agency.is_active:
        errors["agency"] = _("This agency is no longer active.")
    if (
        person is not None
        and agency is not None
        and (person.agency_id != agency.pk or not person.is_active)
    ):
        errors["person"] = _("Name an active person of the responsible agency.")
    if due_on is None:
        errors["due_on"] = _("Give the date by which it is done.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date is in the past: give today or a later date.")
    concerns = sorted(set(concerns or []))
    if not concerns:
        errors["concerns"] = _(
            "Say whom the action protects (the victim, children, others) or addresses "
            "(the perpetrator)."
        )
    elif set(concerns) - set(Concern.values):
        errors["concerns"] = _("Choose from the list.")
    if errors or agency is None or due_on is None:  # a missing one is in `errors`
        raise ValidationError(errors)
    return agency, due_on, concerns


def action_add(
    *,
    actor,
    item: AgendaItem,
    text: str,
    agency: Agency | None,
    due_on: date | None,
    concerns,
    person: User | None = None,
) -> ConferenceAction:
    """The chair records an action during the meeting; the named person (or, while none
    is named, the agency's attendees) hear of it."""
    meeting = item.meeting
    require_chair(actor, meeting.series)
    if meeting.status != Meeting.Status.IN_SESSION:
        raise ValidationError(_("Actions are agreed while the meeting is in session."))
    if item.outcome == AgendaItem.Outcome.DEFERRED:
        raise ValidationError(_("This case was deferred to a later meeting."))
    text = clean_text(text, "text", _("Write what will be done."))
    agency, due_on, concerns = _clean_action(
        agency=agency, person=person, due_on=due_on, concerns=concerns
    )
    with transaction.atomic():
        action = ConferenceAction.objects.create(
            item=item,
            case_id=item.case_id,
            series_id=meeting.series_id,
            text=text,
            agency=agency,
            person=person,
            due_on=due_on,
            concerns=concerns,
            created_by=actor,
        )
        _record(actor, action, "conference.action_added", agency=agency.pk)
        if person is not None:
            _tell_assigned(action)
    return action


def action_update(
    *,
    actor,
    action: ConferenceAction,
    text: str,
    agency: Agency | None,
    due_on: date | None,
    concerns,
    person: User | None = None,
    version: int | None = None,
) -> ConferenceAction:
    """The chair corrects an action while the meeting is in session (e.g. names the
    person responsible)."""
    meeting = action.item.meeting
    require_chair(actor, meeting.series)
    if meeting.status != Meeting.Status.IN_SESSION or action.status != AStatus.OPEN:
        raise ValidationError(_("An action is changed only while its meeting is in session."))
    text = clean_text(text, "text", _("Write what will be done."))
    agency, due_on, concerns = _clean_action(
        agency=agency, person=person, due_on=due_on, concerns=concerns
    )
    newly_named = person is not None and person.pk != action.person_id
    with transaction.atomic():
        update_versioned(
            action,
            version=version,
            statuses=[AStatus.OPEN],
            text=text,
            agency=agency,
            person=person,
            due_on=due_on,
            concerns=concerns,
        )
        _record(actor, action, "conference.action_changed", agency=agency.pk)
        if newly_named:
            _tell_assigned(action)
    return action


def action_complete(
    *, actor, action: ConferenceAction, note: str = "", version: int | None = None
) -> ConferenceAction:
    """The responsible agency (or the named person) reports the action done."""
    if action.status != AStatus.OPEN:
        raise ValidationError(_("This action is no longer open."))
    if not action_may_complete(user=actor, action=action):
        raise PermissionDenied
    note = clean_text(note, "note", "", required=False)
    with transaction.atomic():
        update_versioned(
            action,
            version=version,
            statuses=[AStatus.OPEN],
            status=AStatus.DONE,
            completed_at=timezone.now(),
            completed_by=actor,
            note=note,
        )
        _record(actor, action, "conference.action_done", on_time=action_on_time(action))
        chair = action.series.chair
        if chair.is_active and chair.pk != actor.pk:
            notify(
                recipients=[chair],
                kind="conference.action_done",
                params={"reference": action.case.reference, "agency_id": action.agency_id},
                url=f"/conferences/actions/{action.pk}/",
                dedupe_key=f"conference-action-done:{action.pk}",
            )
    return action


def action_cancel(
    *, actor, action: ConferenceAction, reason: str, version: int | None = None
) -> ConferenceAction:
    """The chair cancels an action no longer needed, saying why."""
    require_chair(actor, action.series)
    if action.status != AStatus.OPEN:
        raise ValidationError(_("This action is no longer open."))
    reason = clean_text(reason, "reason", _("Write why the action is no longer needed."))
    with transaction.atomic():
        update_versioned(
            action,
            version=version,
            statuses=[AStatus.OPEN],
            status=AStatus.CANCELLED,
            completed_at=timezone.now(),
            completed_by=actor,
            note=reason,
        )
        _record(actor, action, "conference.action_cancelled")
    return action


def action_on_time(action: ConferenceAction) -> bool | None:
    """Done by the end of its due day; None while not done."""
    if action.status != AStatus.DONE or action.completed_at is None:
        return None
    return timezone.localdate(action.completed_at) <= action.due_on


def watch_close(*, actor, referral: ConferenceReferral, note: str = "") -> ConferenceReferral:
    """The chair closes the case at the conference: every action of it in the series is
    done or cancelled."""
    require_chair(actor, referral.series)
    if referral.status != ConferenceReferral.Status.HEARD:
        raise ValidationError(_("Only a case under the conference's watch can be closed there."))
    still_open = ConferenceAction.objects.filter(
        series=referral.series, case_id=referral.case_id, status=AStatus.OPEN
    ).count()
    if still_open:
        raise ValidationError(
            ngettext(
                "%(n)d action of this case is still open.",
                "%(n)d actions of this case are still open.",
                still_open,
            )
            % {"n": still_open},
            code="open_actions",
        )
    note = clean_text(note, "note", "", required=False)
    with transaction.atomic():
        update_versioned(
            referral,
            statuses=[ConferenceReferral.Status.HEARD],
            status=ConferenceReferral.Status.CLOSED,
            closed_at=timezone.now(),
            closed_by=actor,
            close_note=note,
        )
        event_record(
            action="conference.watch_closed",
            actor=actor,
            object_type="case",
            object_id=referral.case_id,
            data={"referral": referral.pk, "series": referral.series_id},
        )
    return referral


def _tell_assigned(action: ConferenceAction) -> None:
    notify(
        recipients=[action.person],
        kind="conference.action_assigned",
        params={"reference": action.case.reference, "due": action.due_on.isoformat()},
        url=f"/conferences/actions/{action.pk}/",
        dedupe_key=f"conference-action-assigned:{action.pk}:{action.person_id}",
    )


def _record(actor, action: ConferenceAction, code: str, **data) -> None:
    event_record(
        action=code,
        actor=actor,
        object_type="case",
        object_id=action.case_id,
        data={"conference_action": action.pk, "meeting": action.item.meeting_id, **data},
    )
