"""What the risk conference holds about a case, declared to the kernel."""

from birge.access.registry import models
from birge.conferences import models as m


def declare() -> None:
    models.provide(
        conference_series=m.ConferenceSeries,
        conference_referral=m.ConferenceReferral,
        meeting=m.Meeting,
        attendance=m.Attendance,
        agenda_item=m.AgendaItem,
        research_note=m.ResearchNote,
        conference_action=m.ConferenceAction,
    )
