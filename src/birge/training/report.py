"""What the facilitator's spread, the session report and its PDF show, in one language.

One builder for the page and the PDF, so that both say the same. The group's answers are
counted, never attributed; a participant's own answers are added only for herself.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from birge.risk.engine import answer_name, level_name
from birge.training import selectors
from birge.training.casestudy import CaseStudy, Stage, case_study_get, text_in
from birge.training.models import Answer, TrainingSession


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    reference: bool = False  # the reference answer


@dataclass(frozen=True)
class ItemRow:
    label: str
    counts: list[Count]
    reference: str
    agreement: int  # percent giving the most common answer


@dataclass(frozen=True)
class OwnAnswers:
    level: str
    computed_level: str
    answers: list[tuple[str, str]]  # (question label, her answer) for the answered ones
    actions: list[str]
    referral: str
    conference: str


@dataclass(frozen=True)
class StageReport:
    id: str
    number: int
    title: str
    facts: str
    answered: int
    levels: list[Count]
    reference_level: str
    risk_reasoning: str
    items: list[ItemRow]  # answered differently (or unlike the reference), most disagreement first
    items_agreed: int  # items everyone answered as the reference does
    actions: list[str]
    reference_actions: list[str]
    safety_reasoning: str
    referrals: list[Count]
    decision: str
    referral_reasoning: str
    conference: list[Count]
    conference_reasoning: str
    own: OwnAnswers | None = None


@dataclass(frozen=True)
class SessionReport:
    language: str
    title: str
    case_study: str
    summary: str
    participants: int
    stages: list[StageReport] = field(default_factory=list)
    points: str = ""


def _referral_label(code: str) -> str:
    return str(Answer.Referral(code).label)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def stage_report(
    session: TrainingSession, study: CaseStudy, stage: Stage, *, language: str, viewer=None
) -> StageReport:
    spread = selectors.stage_spread(session=session, study=study, stage=stage)
    items = []
    agreed = 0
    for row in spread.items:
        item = study.instrument.item(row.item)
        if set(row.counts) <= {row.reference}:
            agreed += 1
            continue
        total = sum(row.counts.values())
        items.append(
            ItemRow(
                label=text_in(item.labels or item.texts, language),
                counts=[
                    Count(answer_name(a, language), n, a == row.reference)
                    for a, n in sorted(row.counts.items(), key=lambda c: -c[1])
                ],
                reference=answer_name(row.reference, language),
                agreement=round(100 * row.agreement) if total else 100,
            )
        )
    own = None
    if viewer is not None:
        participant = selectors.participant_of(user=viewer, session=session)
        answer = participant and selectors.answer_own(participant=participant, stage=stage.id)
        if answer:
            own = OwnAnswers(
                level=level_name(answer.level, language),
                computed_level=level_name(answer.computed_level, language),
                answers=[
                    (
                        text_in(i.labels or i.texts, language),
                        answer_name(answer.answers[i.id], language),
                    )
                    for i in study.instrument.items
                    if i.id in answer.answers
                ],
                actions=[line for line in answer.actions.splitlines() if line.strip()],
                referral=_referral_label(answer.referral),
                conference=_yes_no(answer.conference),
            )
    return StageReport(
        id=stage.id,
        number=stage.number,
        title=text_in(stage.titles, language),
        facts=text_in(stage.facts, language),
        answered=spread.answered,
        levels=[
            Count(level_name(level, language), n, level == stage.risk.level)
            for level, n in spread.levels.items()
        ],
        reference_level=level_name(stage.risk.level, language),
        risk_reasoning=text_in(stage.risk.reasoning, language),
        items=items,
        items_agreed=agreed,
        actions=spread.actions,
        reference_actions=[text_in(a, language) for a in stage.actions],
        safety_reasoning=text_in(stage.safety_reasoning, language),
        referrals=[
            Count(_referral_label(code), spread.referrals.get(code, 0), code == stage.basis)
            for code in Answer.Referral.values
        ],
        decision=text_in(stage.decision, language),
        referral_reasoning=text_in(stage.referral_reasoning, language),
        conference=[
            Count(_yes_no(value), spread.conference[value], value == stage.conference)
            for value in (True, False)
        ],
        conference_reasoning=text_in(stage.conference_reasoning, language),
        own=own,
    )


def session_report(session: TrainingSession, *, viewer) -> SessionReport:
    """The report in the session's language: every released stage's spread and reference,
    the points discussed, and the viewer's own answers when she took part."""
    language = session.language
    study = case_study_get(session.case_study)
    with translation.override(language):
        stages = [
            stage_report(session, study, study.stage(stage_id), language=language, viewer=viewer)
            for stage_id in session.released_stages
        ]
        return SessionReport(
            language=language,
            title=session.title,
            case_study=text_in(study.titles, language),
            summary=text_in(study.summaries, language),
            participants=session.participants.count(),
            stages=stages,
            points=session.points,
        )
