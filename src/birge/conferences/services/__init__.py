"""Writes of the risk conference. Each is one function: checks, the change, its audit
event and notifications, in one transaction. Callers have already looked the object up
through birge.conferences.selectors."""

from birge.conferences.services._common import StaleError
from birge.conferences.services.actions import (
    action_add,
    action_cancel,
    action_complete,
    action_on_time,
    action_update,
    watch_close,
)
from birge.conferences.services.meetings import (
    agencies_present,
    agenda_add,
    agenda_arrange,
    agenda_build,
    agenda_capacity,
    agenda_remove,
    agenda_send,
    item_defer,
    item_discuss,
    meeting_attend,
    meeting_cancel,
    meeting_close,
    meeting_open,
    meeting_plan,
    quorum_reached,
    research_add,
)
from birge.conferences.services.queue import (
    conference_check_repeat,
    conference_queue,
    conference_refer,
    conference_withdraw,
    last_hearing_of_pair,
)
from birge.conferences.services.series import series_save

__all__ = [
    "StaleError",
    "action_add",
    "action_cancel",
    "action_complete",
    "action_on_time",
    "action_update",
    "agencies_present",
    "agenda_add",
    "agenda_arrange",
    "agenda_build",
    "agenda_capacity",
    "agenda_remove",
    "agenda_send",
    "conference_check_repeat",
    "conference_queue",
    "conference_refer",
    "conference_withdraw",
    "item_defer",
    "item_discuss",
    "last_hearing_of_pair",
    "meeting_attend",
    "meeting_cancel",
    "meeting_close",
    "meeting_open",
    "meeting_plan",
    "quorum_reached",
    "research_add",
    "series_save",
    "watch_close",
]
