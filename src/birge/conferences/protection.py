"""What the risk conference holds about a case, declared to the kernel: the models the
access rules are about, and what retention forgets (the figures keep counts and dates)."""

from birge.access.registry import models
from birge.conferences import models as m
from birge.privacy.retention import hold

FIGURES = "the conference's figures count them"


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
    hold(
        m.ConferenceReferral,
        case="case",
        blank=["reason", "close_note"],
        keep=["risk_level"],
        why=FIGURES,
    )
    hold(m.AgendaItem, case="case", blank=["summary", "victim_view", "risks"], why=FIGURES)
    hold(m.ResearchNote, case="item__case", blank=["text"], why=FIGURES)
    hold(
        m.ConferenceAction,
        case="case",
        blank=["text", "note"],
        keep=["concerns"],
        why="whom an action protects is a code; the figures count actions done on time",
    )
