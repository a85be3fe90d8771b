"""Every reaction of one app to what happens in another, in one place.

An app announces what happened to a case (`birge.cases.events`); the receivers below, and
only these, make the other apps react, by calling their services. Nothing here decides
anything: the rules stay in the services it calls.

| announced by | event | reaction |
| --- | --- | --- |
| cases | a case registered with its first incident | the conference's 12-month repeat rule (`conference_check_repeat`) |
| cases | a new incident on an existing case | the same repeat rule |
| cases, risk | a conference criterion met (risk, escalation) | the case enters its area's conference queue (`conference_queue`) |
| cases | a perpetrator added, or confirmed the same as another case's | a serial perpetrator is flagged to his cases' coordinators (`serial_perpetrator_flag`) |
"""

from django.dispatch import receiver

from birge.cases import events
from birge.cases.models import Part
from birge.conferences.services import conference_check_repeat, conference_queue
from birge.justice.services.perpetrators import serial_perpetrator_flag


@receiver(events.case_registered, dispatch_uid="birge.reactions.repeat_on_registration")
def _repeat_on_registration(*, case, incident, actor, **kwargs) -> None:
    conference_check_repeat(case=case, incident=incident, actor=actor)


@receiver(events.incident_recorded, dispatch_uid="birge.reactions.repeat_on_incident")
def _repeat_on_incident(*, case, incident, actor, **kwargs) -> None:
    conference_check_repeat(case=case, incident=incident, actor=actor)


@receiver(events.conference_criterion_met, dispatch_uid="birge.reactions.queue")
def _queue_for_conference(*, case, criterion, actor, **kwargs) -> None:
    conference_queue(case=case, criterion=criterion, actor=actor)


@receiver(events.identity_joined, dispatch_uid="birge.reactions.serial_perpetrator")
def _serial_perpetrator(*, case, participant, actor, **kwargs) -> None:
    if participant.part == Part.PERPETRATOR:
        serial_perpetrator_flag(case=case, person_id=participant.person_id, actor=actor)
