"""Writes of the training space: a facilitator opens a session, releases its stages one at
a time, notes the points discussed and closes it; participants join with a code and answer.

Each write runs in one transaction with its audit event (ids and codes only). Nothing here
touches a case: answers are scored by the real risk engine and stored in training tables.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.risk.engine import level_index, score
from birge.training.casestudy import case_study_get
from birge.training.models import Answer, Participant, TrainingSession

CAPABILITY = "training.facilitate"
# No 0/O or 1/I/L: a code read aloud to a room and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def session_open(
    *,
    actor,
    title: str,
    case_study: str,
    stages: list[str],
    language: str,
    workshop: bool = False,
) -> TrainingSession:
    """Open a session of a shipped case study with the chosen stages (in the story's order)."""
    if not user_has_capability(actor, CAPABILITY):
        raise PermissionDenied
    try:
        study = case_study_get(case_study)
    except KeyError:
        raise ValidationError({"case_study": _("Choose one of the case studies.")}) from None
    known = [stage.id for stage in study.stages]
    if not stages or set(stages) - set(known):
        raise ValidationError({"stages": _("Choose at least one stage of this case study.")})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                session = TrainingSession.objects.create(
                    title=title,
                    facilitator=actor,
                    case_study=study.id,
                    case_study_version=study.version,
                    stages=[s for s in known if s in stages],
                    language=language,
                    join_code=_code(),
                    workshop=workshop,
                )
                event_record(
                    action="training.session_opened",
                    actor=actor,
                    object_type="training_session",
                    object_id=session.pk,
                    data={"case_study": study.id, "stages": session.stages},
                )
                return session
        except IntegrityError:  # the same join code drawn twice: draw again
            continue
    raise ValidationError(_("No join code could be drawn; try again."))


def _facilitating(actor, session: TrainingSession) -> None:
    if session.facilitator_id != actor.pk:
        raise PermissionDenied


def session_release_next(*, actor, session: TrainingSession) -> TrainingSession:
    """Release the next stage to the participants."""
    _facilitating(actor, session)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != TrainingSession.Status.OPEN:
            raise ValidationError(_("The session is closed."))
        if session.released >= len(session.stages):
            raise ValidationError(_("Every stage is already released."))
        session.released += 1
        session.save(update_fields=["released"])
        event_record(
            action="training.stage_released",
            actor=actor,
            object_type="training_session",
            object_id=session.pk,
            data={"stage": session.stages[session.released - 1]},
        )
    return session


def session_note_points(*, actor, session: TrainingSession, points: str) -> TrainingSession:
    """The points the group discussed, for the report."""
    _facilitating(actor, session)
    with transaction.atomic():
        session.points = points
        session.save(update_fields=["points"])
        event_record(
            action="training.points_noted",
            actor=actor,
            object_type="training_session",
            object_id=session.pk,
        )
    return session


def session_close(*, actor, session: TrainingSession) -> TrainingSession:
    _facilitating(actor, session)
    with transaction.atomic():
        session.status = TrainingSession.Status.CLOSED
        session.save(update_fields=["status"])
        event_record(
            action="training.session_closed",
            actor=actor,
            object_type="training_session",
            object_id=session.pk,
        )
    return session


def session_join(*, actor, join_code: str, show_name: bool) -> Participant:
    """Join an open session by its code (any signed-in person); joining again changes
    nothing but the name choice."""
    code = join_code.strip().upper()
    session = TrainingSession.objects.filter(
        join_code=code, status=TrainingSession.Status.OPEN
    ).first()
    if session is None:
        raise ValidationError({"join_code": _("No open session has this code.")})
    if session.facilitator_id == actor.pk:
        raise ValidationError({"join_code": _("You facilitate this session.")})
    with transaction.atomic():
        TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
        participant = Participant.objects.filter(session=session, user=actor).first()
        if participant is None:
            last = session.participants.aggregate(n=Max("number"))["n"] or 0
            participant = Participant.objects.create(
                session=session, user=actor, number=last + 1, show_name=show_name
            )
            event_record(
                action="training.joined",
                actor=actor,
                object_type="training_session",
                object_id=session.pk,
                data={"participant": participant.number},
            )
        elif participant.show_name != show_name:
            participant.show_name = show_name
            participant.save(update_fields=["show_name"])
    return participant


def answer_save(
    *,
    participant: Participant,
    stage: str,
    answers: dict[str, str],
    level: str,
    actions: str,
    referral: str,
    conference: bool,
) -> Answer:
    """A participant's answers to a released stage, scored by the real risk engine."""
    session = participant.session
    if session.status != TrainingSession.Status.OPEN:
        raise ValidationError(_("The session is closed: answers can no longer change."))
    if stage not in session.released_stages:
        raise ValidationError(_("This stage is not released."))
    study = case_study_get(session.case_study)
    result = score(study.instrument, {k: v or None for k, v in answers.items()})
    if level and level_index(level) < level_index(result.level):
        raise ValidationError({"level": _("The level cannot be below what the instrument gives.")})
    with transaction.atomic():
        answer, _created = Answer.objects.update_or_create(
            participant=participant,
            stage=stage,
            defaults={
                "answers": {k: v for k, v in answers.items() if v},
                "computed_level": result.level,
                "level": level or result.level,
                "actions": actions,
                "referral": referral,
                "conference": conference,
            },
        )
        event_record(
            action="training.answered",
            actor=participant.user,
            object_type="training_session",
            object_id=session.pk,
            data={"stage": stage, "participant": participant.number},
        )
    return answer
