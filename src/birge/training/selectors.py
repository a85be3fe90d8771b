"""Reads of the training space. A session exists for its facilitator and its participants
only (404 for everyone else); its answers are seen by the one who gave them, and by the
facilitator only as the group's spread, without names unless a participant chose to show hers."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from birge.risk.engine import LEVELS
from birge.training.casestudy import CaseStudy, Stage
from birge.training.models import Answer, Participant, TrainingSession


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(
        Q(facilitator=user) | Q(participants__user=user)
    ).distinct()


def session_get_for_user(*, user, session_id: int, facilitate: bool = False) -> TrainingSession:
    """The session for its facilitator (and, unless `facilitate`, its participants); 404
    for anyone else, whether or not it exists."""
    session = sessions_visible_to(user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    if facilitate and session.facilitator_id != user.pk:
        raise Http404
    return session


def participant_of(*, user, session: TrainingSession) -> Participant | None:
    return Participant.objects.filter(session=session, user=user).first()


def answer_own(*, participant: Participant, stage: str) -> Answer | None:
    return Answer.objects.filter(participant=participant, stage=stage).first()


def participant_label(participant: Participant, *, numbered: str) -> str:
    """Her name only if she chose to show it; otherwise "Participant 3" (`numbered` is the
    translated pattern)."""
    if participant.show_name:
        return participant.user.get_full_name() or numbered % {"number": participant.number}
    return numbered % {"number": participant.number}


@dataclass(frozen=True)
class ItemSpread:
    item: str
    counts: dict[str, int]  # answer -> how many gave it
    reference: str
    agreement: float  # the share of the most common answer: 1.0 means everyone agreed


@dataclass(frozen=True)
class Spread:
    answered: int  # participants who answered the stage
    levels: dict[str, int]  # level -> how many chose it, every level listed
    items: list[ItemSpread]  # most disagreement first
    actions: list[str]  # every proposed action, without who proposed it
    referrals: dict[str, int]
    conference: dict[bool, int]


def stage_spread(*, session: TrainingSession, study: CaseStudy, stage: Stage) -> Spread:
    """The group's answers to one stage, counted; never who gave which."""
    rows = list(
        Answer.objects.filter(participant__session=session, stage=stage.id).values_list(
            "answers", "level", "actions", "referral", "conference"
        )
    )
    levels = Counter(level for _a, level, *_rest in rows)
    items = []
    for item in study.instrument.items:
        counts = Counter(answers.get(item.id, "") or "" for answers, *_rest in rows)
        counts.pop("", None)
        total = sum(counts.values())
        agreement = max(counts.values()) / total if total else 1.0
        items.append(
            ItemSpread(item.id, dict(counts), stage.risk.answers[item.id], round(agreement, 3))
        )
    # Where the group disagreed most first; then where most of it missed the reference.
    items.sort(key=lambda s: (s.agreement, -_missed(s), s.item))
    actions = sorted(
        line.strip() for *_f, text, _r, _c in rows for line in text.splitlines() if line.strip()
    )
    return Spread(
        answered=len(rows),
        levels={level: levels.get(level, 0) for level in LEVELS},
        items=items,
        actions=actions,
        referrals=dict(Counter(referral for *_f, referral, _c in rows)),
        conference={True: sum(1 for r in rows if r[4]), False: sum(1 for r in rows if not r[4])},
    )


def _missed(spread: ItemSpread) -> int:
    return sum(n for answer, n in spread.counts.items() if answer != spread.reference)
