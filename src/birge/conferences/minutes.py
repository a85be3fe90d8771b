"""The minutes of a risk conference meeting: what is on them, for the printable page and
the PDF (birge.conferences.minutes_pdf).

Minutes travel: they are printed, downloaded and filed in each agency. So they name each
case by its reference only; names stay in the case record, and a name of the case's
people typed into the discussion is left out as well. Every copy says who took it and
when (the watermark). What the reader may see follows birge.conferences.selectors: the
caller has checked that she attended; a case involving a person she declared a relation
to is not on her copy, and a sealed case she is not named on shows its reference only.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birge.agencies.protocol import RISK_LEVEL_NAMES
from birge.cases.models import CasePerson
from birge.conferences import selectors
from birge.conferences.models import (
    AgendaItem,
    Attendance,
    Concern,
    ConferenceAction,
    Meeting,
)
from birge.web.pdf import document_date

TITLE = gettext_lazy("Minutes of the multi-agency risk conference")
CONFIDENTIAL = gettext_lazy("CONFIDENTIAL")
NAME_LEFT_OUT = gettext_lazy("[name left out]")


@dataclass(frozen=True)
class Attendee:
    name: str
    agency: str
    accepted_at: str  # the time she accepted the confidentiality statement


@dataclass(frozen=True)
class ActionLine:
    text: str
    agency: str
    person: str
    due: str
    concerns: str
    status: str


@dataclass(frozen=True)
class ItemMinutes:
    number: int
    reference: str
    # A sealed case she is not named on: its reference, and nothing else.
    sealed: bool
    deferred: bool
    risk_level: str = ""  # its name, in the minutes' language
    level: str = ""  # its code, for the badge
    criterion: str = ""
    repeat: bool = False
    outcome: str = ""
    summary: str = ""
    victim_view: str = ""
    risks: str = ""
    actions: tuple[ActionLine, ...] = ()


@dataclass(frozen=True)
class EarlierAction:
    reference: str
    agency: str
    due: str
    overdue: bool


@dataclass(frozen=True)
class Minutes:
    meeting_id: int
    language: str
    title: str
    series: str
    date: str
    time: str
    place: str
    chair: str
    final: bool
    status: str
    attendees: list[Attendee]
    agencies_present: int
    quorum: int
    quorum_reached: bool
    confidentiality: str
    items: list[ItemMinutes]
    earlier_actions: list[EarlierAction]
    confidential: str
    watermark: str


def minutes_document(meeting: Meeting, *, language: str, viewer) -> Minutes:
    """The minutes of the meeting (in session: a draft; closed: final) as `viewer` may
    read them, in `language`, with the watermark naming her and the moment."""
    with translation.override(language):
        local = timezone.localtime(meeting.starts_at)
        series = meeting.series
        final = meeting.status == Meeting.Status.CLOSED
        attendances = list(
            Attendance.objects.filter(meeting=meeting).select_related("user", "agency")
        )
        members = set(series.members.values_list("pk", flat=True))
        present = len({a.agency_id for a in attendances} & members)
        return Minutes(
            meeting_id=meeting.pk,
            language=language,
            title=str(TITLE),
            series=series.name,
            date=document_date(local, language),
            time=local.strftime("%H:%M"),
            place=meeting.place,
            chair=series.chair.display_name,
            final=final,
            status=_status(meeting, language),
            attendees=[
                Attendee(
                    name=a.user.display_name,
                    agency=a.agency.name,
                    accepted_at=timezone.localtime(a.accepted_at).strftime("%H:%M"),
                )
                for a in attendances
            ],
            agencies_present=present,
            quorum=series.quorum,
            quorum_reached=present >= series.quorum,
            confidentiality=series.confidentiality(language),
            items=_items(meeting, viewer),
            earlier_actions=_earlier_actions(meeting, viewer),
            confidential=str(CONFIDENTIAL),
            watermark=watermark(viewer),
        )


def watermark(viewer) -> str:
    """Who took this copy, and when: on every page."""
    now = timezone.localtime()
    moment = f"{now:%Y-%m-%d %H:%M} {timezone.get_current_timezone_name()}"
    return _("CONFIDENTIAL — downloaded by %(name)s (%(agency)s) on %(moment)s") % {
        "name": viewer.display_name,
        "agency": viewer.agency.name,
        "moment": moment,
    }


def _status(meeting: Meeting, language: str) -> str:
    if meeting.status == Meeting.Status.CLOSED and meeting.closed_at:
        closed = timezone.localtime(meeting.closed_at)
        return _("Final: the meeting closed on %(date)s at %(time)s.") % {
            "date": document_date(closed, language),
            "time": closed.strftime("%H:%M"),
        }
    return _("Draft: the meeting is in session, and these minutes may still change.")


def _items(meeting: Meeting, viewer) -> list[ItemMinutes]:
    actions = ConferenceAction.objects.select_related("agency", "person").order_by("id")
    items = list(
        selectors.items_visible_to(user=viewer, meeting=meeting)
        .select_related("referral")
        .prefetch_related(Prefetch("actions", queryset=actions))
    )
    case_ids = [item.case_id for item in items]
    names = _names_by_case(case_ids)
    minutes = []
    for number, item in enumerate(items, start=1):
        reference = item.case.reference
        deferred = item.outcome == AgendaItem.Outcome.DEFERRED
        if not selectors.case_shown_in_full(user=viewer, case=item.case):
            minutes.append(ItemMinutes(number, reference, sealed=True, deferred=deferred))
            continue
        referral = item.referral
        withheld = names.get(item.case_id, ())
        minutes.append(
            ItemMinutes(
                number,
                reference,
                sealed=False,
                deferred=deferred,
                risk_level=str(RISK_LEVEL_NAMES.get(referral.risk_level, referral.risk_level)),
                level=referral.risk_level,
                criterion=str(referral.get_criterion_display()),
                repeat=referral.is_repeat,
                outcome=str(item.get_outcome_display()),
                summary=left_out(item.summary, withheld),
                victim_view=left_out(item.victim_view, withheld),
                risks=left_out(item.risks, withheld),
                actions=tuple(_action(a, withheld) for a in item.actions.all()),
            )
        )
    return minutes


def _action(action: ConferenceAction, withheld: Iterable[str]) -> ActionLine:
    labels = dict(Concern.choices)
    return ActionLine(
        text=left_out(action.text, withheld),
        agency=action.agency.name,
        person=action.person.display_name if action.person else _("not named yet"),
        due=action.due_on.isoformat(),
        concerns=", ".join(str(labels.get(c, c)) for c in action.concerns),
        status=str(action.get_status_display()),
    )


def _earlier_actions(meeting: Meeting, viewer) -> list[EarlierAction]:
    # A case with a person she declared a relation to is not on her copy at all.
    actions = list(
        selectors.open_actions_of_series(meeting.series, before=meeting.starts_at, viewer=viewer)
    )
    today = timezone.localdate()
    return [
        EarlierAction(
            reference=a.case.reference,
            agency=a.agency.name,
            due=a.due_on.isoformat(),
            overdue=a.due_on < today,
        )
        for a in actions
    ]


def _names_by_case(case_ids: list[int]) -> dict[int, list[str]]:
    """Every name of every person in each case: what the minutes must not carry."""
    names: dict[int, list[str]] = defaultdict(list)
    for part in CasePerson.objects.filter(case_id__in=case_ids).select_related("person"):
        person = part.person
        names[part.case_id] += [
            person.full_name,
            person.first_name,
            person.last_name,
            person.patronymic,
        ]
    return names


def left_out(text: str, names: Iterable[str]) -> str:
    """`text` with each of `names` replaced, in any case, with the endings Azerbaijani
    adds to a name ("Ayselin", her; "Ayselə", to her): a word that begins with a name of
    three letters or more goes whole. A safety net, not a guarantee: a Russian ending that
    changes the name's own letters ("Алиевой") is not caught."""
    marker = str(NAME_LEFT_OUT)
    # Longest first, so that a full name goes as a whole, not name by name.
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True
    ):
        ending = r"\w*" if len(name) > 2 else ""
        pattern = rf"(?<!\w){re.escape(name)}{ending}(?!\w)"
        text = re.sub(pattern, marker, text, flags=re.IGNORECASE)
    # "Aysel Əliyeva" in another order than the record's: one marker, not two.
    return re.sub(rf"{re.escape(marker)}(\s+{re.escape(marker)})+", marker, text)
