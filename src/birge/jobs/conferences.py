"""Conference actions' deadlines, the way referrals' run (birge.jobs.deadlines).

For an action agreed at T and due by the end of day D:

- a reminder to the named person (or, while none is named, the responsible agency's
  attendees) once BIRGE_REFERRAL_REMINDER_SHARE (75 %) of the time from T to the end of
  D has passed;
- escalation to the responsible agency's lead(s) and the series' chair once D has
  ended without the action being done.

Each step is its own timestamp on the action (reminded_at, escalated_at): it happens
once, however often and on however many servers the job runs.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from birge.audit.services import event_record
from birge.conferences.models import ConferenceAction
from birge.jobs.deadlines import Deadline, Step, deadline_pass, share_of_span
from birge.jobs.referrals import Audiences, reminder_share
from birge.notifications.services import notify

REMINDER = Step("reminded_at", "conference.action_reminder", "conference.action_reminded", "")
ESCALATION = Step("escalated_at", "conference.action_overdue", "conference.action_escalated", "")
STEPS = (REMINDER, ESCALATION)


def due_moment(due_on) -> datetime:
    """The end of the due day, in Birge's time zone: the first moment it is overdue."""
    return timezone.make_aware(datetime.combine(due_on + timedelta(days=1), time.min))


def step_due(step: Step, *, start: datetime, due: datetime, now: datetime) -> bool:
    if step is REMINDER:
        return now >= share_of_span(start, due, reminder_share())
    return now >= due


def conference_action_deadlines(now: datetime | None = None) -> int:
    """One pass over open conference actions. Returns how many steps happened."""
    audiences = Audiences()

    def act(action: ConferenceAction, step: Step, now: datetime) -> None:
        if step is REMINDER:
            recipients = (
                [action.person]
                if action.person_id and action.person.is_active
                else audiences.of("attenders", agency_id=action.agency_id)
            )
        else:
            recipients = list(audiences.of("leads", agency_id=action.agency_id))
            chair = action.series.chair
            if chair.is_active:
                recipients.append(chair)
        event_record(
            action=step.action,
            object_type="case",
            object_id=action.case_id,
            data={"conference_action": action.pk, "agency": action.agency_id},
        )
        notify(
            recipients=recipients,
            kind=step.kind,
            params={
                "reference": action.case.reference,
                "agency_id": action.agency_id,
                "due": action.due_on.isoformat(),
            },
            url=f"/conferences/actions/{action.pk}/",
            dedupe_key=f"conference-action:{action.pk}:{step.field}",
        )

    deadline = Deadline(
        waiting=lambda: ConferenceAction.objects.filter(
            status=ConferenceAction.Status.OPEN
        ).select_related("person", "series__chair", "case"),
        span_fields=("created_at", "due_on"),
        span=lambda created_at, due_on: (created_at, due_moment(due_on)),
        steps=STEPS,
        is_due=lambda step, start, due, now: step_due(step, start=start, due=due, now=now),
        act=act,
    )
    return deadline_pass(deadline, now or timezone.now())
