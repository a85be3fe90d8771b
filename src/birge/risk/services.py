"""Risk assessments: drafts, submission with professional judgement, the level set by
professional judgement alone, the second opinion that lowering a level needs, and
corrections. Instrument versions are data.

One rule for a level going down, whatever the route (a new assessment, a correction, a
screen then a checklist, judgement alone, the API): every route ends in
`_assessment_settle`, which asks `level_decide`. A level lower than the higher of the
level in force and the assessment's computed level waits for a second professional of
another agency in the case's circle (`birge.access.levels.may_approve_lowering`);
meanwhile the case keeps that higher level. Raising applies at once. One function writes
`Case.risk_level`: `_case_level_apply` (a test reads every module to keep it so).

Some results cannot stand without a professional judgement, whatever the route
(`judgement_required`, enforced by `level_decide`): an incomplete result (the instrument's
`incomplete` rule: a critical question, or too many answers, not known or declined), and
her fear for her life or a child's at a level below high. The assessor then chooses the
level and writes why (at least 10 characters).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to
from birge.access.levels import level_higher, level_lowers, level_rank, may_approve_lowering
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases import events
from birge.cases.models import Case, CircleMember, RiskLevel
from birge.cases.services._common import case_touch
from birge.cases.services.lifecycle import case_escalate
from birge.notifications.services import notify
from birge.risk import selectors
from birge.risk.engine import (
    ANSWERS,
    FEAR_FOR_LIFE,
    InstrumentError,
    instrument_load,
    level_index,
    score,
    shipped_instruments,
)
from birge.risk.models import InstrumentVersion, RiskAssessment

HIGH = (RiskLevel.HIGH, RiskLevel.CRITICAL)
REASON_MIN = 10  # characters of a written reason for a level by judgement
Status = RiskAssessment.Status


def instrument_version_add(*, actor, text: str, file_name: str) -> InstrumentVersion:
    """Add an instrument (or a new version) from a data file; the engine validates it.

    The same id and version with the same content is the existing row; with other
    content it is refused: a version, once used, never changes."""
    try:
        instrument = instrument_load(text, file=file_name)
    except InstrumentError as error:
        raise ValidationError({"file": str(error)}) from error
    existing = InstrumentVersion.objects.filter(
        instrument_id=instrument.id, version=instrument.version
    ).first()
    if existing is not None:
        if existing.sha256 != instrument.sha256:
            raise ValidationError(
                {
                    "file": _(
                        "Version %(version)s of this instrument exists with other content; give the file a new version."
                    )
                    % {"version": instrument.version}
                }
            )
        return existing
    try:
        with transaction.atomic():
            version = InstrumentVersion.objects.create(
                instrument_id=instrument.id,
                version=instrument.version,
                source=instrument.source,
                sha256=instrument.sha256,
                added_by=actor,
            )
            event_record(
                action="risk.instrument_added",
                actor=actor,
                object_type="instrument",
                object_id=version.pk,
                data={"instrument": instrument.id, "version": instrument.version},
            )
    except IntegrityError:
        return InstrumentVersion.objects.get(
            instrument_id=instrument.id, version=instrument.version
        )
    return version


def instruments_load_shipped(*, actor=None) -> list[InstrumentVersion]:
    """The instruments that come with Birge (src/birge/risk/instruments/); idempotent."""
    return [
        instrument_version_add(actor=actor, text=i.source, file_name=f"{i.id}.yaml")
        for i in shipped_instruments()
    ]


def _clean_answers(instrument, answers: dict) -> dict:
    known = {item.id for item in instrument.items}
    unknown_items = sorted(set(answers) - known)
    bad = sorted(k for k, v in answers.items() if v not in (None, "", *ANSWERS))
    if unknown_items or bad:
        raise ValidationError(_("The answers do not fit this instrument."))
    return {k: v for k, v in answers.items() if v}


def assessment_draft_save(
    *,
    actor,
    case: Case,
    instrument_version: InstrumentVersion,
    answers: dict,
    victim_fear: str = RiskAssessment.Fear.NOT_ASKED,
    victim_view: str = "",
    assessment: RiskAssessment | None = None,
) -> RiskAssessment:
    """Save answers so far (some may be missing). Only its author changes a draft."""
    if not user_has_capability(actor, "risk.assess"):
        raise PermissionDenied
    if assessment is not None and (
        assessment.status != RiskAssessment.Status.DRAFT or assessment.assessed_by_id != actor.pk
    ):
        raise ValidationError(_("Only your own draft can be changed."))
    answers = _clean_answers(instrument_version.instrument, answers)
    result = score(instrument_version.instrument, answers)
    with transaction.atomic():
        if assessment is None:
            assessment = RiskAssessment(
                case=case,
                instrument_version=instrument_version,
                assessed_by=actor,
                agency_id=actor.agency_id,
            )
        assessment.answers = answers
        assessment.victim_fear = victim_fear
        assessment.victim_view = victim_view
        assessment.score = result.score
        assessment.computed_level = result.level
        assessment.reasons = [[r.code, r.params] for r in result.reasons]
        assessment.save()
        event_record(
            action="risk.assessment_saved",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"assessment": assessment.pk},
        )
    return assessment


def assessment_submit(
    *, actor, assessment: RiskAssessment, final_level: str = "", judgement_reason: str = ""
) -> RiskAssessment:
    """Submit: every item answered; professional judgement may set another level than the
    computed one, with a written reason. Whether the level applies at once or waits for a
    second opinion is `level_decide`'s answer."""
    if (
        assessment.status != Status.DRAFT
        or assessment.assessed_by_id != actor.pk
        or assessment.instrument_version is None  # judgement alone is never a draft
    ):
        raise ValidationError(_("Only your own draft can be submitted."))
    instrument = assessment.instrument_version.instrument
    result = score(instrument, assessment.answers)
    if result.missing:
        language = (translation.get_language() or "az")[:2]
        names = [
            instrument.item(i).texts.get(language, instrument.item(i).texts["az"])
            for i in result.missing
        ]
        raise ValidationError(
            [_("Not answered: %(item)s") % {"item": name} for name in names], code="missing"
        )
    if result.incomplete and not final_level:
        raise ValidationError(
            {
                "final_level": _(
                    "The answers are incomplete: choose the level by your professional judgement."
                )
            },
            code="judgement_required",
        )
    final_level = final_level or result.level
    if final_level not in RiskLevel.values:
        raise ValidationError({"final_level": _("Choose a risk level.")})
    judgement_reason = (judgement_reason or "").strip()
    if len(judgement_reason) < REASON_MIN:
        why = judgement_required(
            incomplete=result.incomplete, fear=assessment.victim_fear, level=final_level
        )
        if why:
            raise ValidationError({"judgement_reason": _judgement_message(why)})
        if final_level != result.level:
            raise ValidationError(
                {
                    "judgement_reason": _(
                        "A level other than the computed one needs a written reason (at least 10 characters)."
                    )
                }
            )
    with transaction.atomic():
        assessment.score = result.score
        assessment.computed_level = result.level
        assessment.reasons = [[r.code, r.params] for r in result.reasons]
        assessment.final_level = final_level
        assessment.judgement_reason = judgement_reason
        _assessment_settle(actor=actor, assessment=assessment)
    return assessment


def assessment_judgement(*, actor, case: Case, level: str, reason: str) -> RiskAssessment:
    """The level by professional judgement alone: an assessment with no instrument, no
    answers and no score, only the level and its written reason (at least 10 characters).
    It obeys the same rule as any assessment: raising applies at once (with the next
    assessment's due date and the conference's queue), lowering waits for a second
    opinion."""
    if not user_has_capability(actor, "risk.assess"):
        raise PermissionDenied
    if level not in RiskLevel.values:
        raise ValidationError({"level": _("Choose a risk level.")})
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": _("Write the reason for this level (at least 10 characters).")}
        )
    assessment = RiskAssessment(
        case=case,
        instrument_version=None,
        assessed_by=actor,
        agency_id=actor.agency_id,
        final_level=level,
        judgement_reason=reason,
    )
    with transaction.atomic():
        _assessment_settle(actor=actor, assessment=assessment)
    return assessment


def judgement_required(*, incomplete: bool, fear: str, level: str) -> tuple[str, ...]:
    """Why a result cannot stand without a professional judgement with a written reason:
    "incomplete" (the instrument's `incomplete` rule fired: whatever the level), "fear"
    (she is very afraid for her life or a child's, and the level is below high)."""
    why = []
    if incomplete:
        why.append("incomplete")
    if fear in FEAR_FOR_LIFE and level_index(level or RiskLevel.STANDARD) < level_index(
        RiskLevel.HIGH
    ):
        why.append("fear")
    return tuple(why)


def _judgement_message(why: tuple[str, ...]) -> str:
    if "incomplete" in why:
        return _(
            "The answers are incomplete (a critical question, or too many answers, not known or declined): write the reason for the level you chose (at least 10 characters)."
        )
    return _(
        "She is very afraid for her life or a child's: a level below high needs your written answer to her fear (at least 10 characters)."
    )


@dataclass(frozen=True)
class LevelDecision:
    level: str  # the level the case takes now
    needs_approval: bool  # the proposed level waits for a second professional


def level_decide(
    *,
    in_force: str,
    computed: str,
    proposed: str,
    judgement_required: tuple[str, ...] = (),
    judgement_reason: str = "",
) -> LevelDecision:
    """The one decision every route that sets a level asks. A result that needs a
    professional judgement (`judgement_required`) is refused without a written reason of
    at least 10 characters: an incomplete result, or her fear for a life, never rests at a
    level (standard, or none) that nobody judged. The level must not end lower than the
    higher of the level in force and the assessment's computed level (none for judgement
    alone) without approval: when it would, the case keeps that higher level meanwhile.
    Anything else applies at once."""
    if judgement_required and len((judgement_reason or "").strip()) < REASON_MIN:
        raise ValidationError(
            {"judgement_reason": _judgement_message(judgement_required)},
            code="judgement_required",
        )
    floor = level_higher(in_force, computed)
    if level_lowers(proposed=proposed, in_force=floor):
        return LevelDecision(level=floor, needs_approval=True)
    return LevelDecision(level=proposed, needs_approval=False)


def _assessment_settle(*, actor, assessment: RiskAssessment) -> None:
    """Submit an assessment whose levels are known (computed, and final): decide, record,
    apply. Proposals of the case still waiting for a second opinion are superseded: the
    later assessment decides. Runs inside the caller's transaction."""
    case = assessment.case  # the caller's case, brought up to date under its row lock
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    if (
        assessment.pk is not None
        and not RiskAssessment.objects.filter(pk=assessment.pk, status=Status.DRAFT).exists()
    ):
        raise ValidationError(_("Only your own draft can be submitted."))
    in_force = case.risk_level
    decision = level_decide(
        in_force=in_force,
        computed=assessment.computed_level,
        proposed=assessment.final_level,
        judgement_required=judgement_required(
            incomplete=assessment.is_incomplete,
            fear=assessment.victim_fear,
            level=assessment.final_level,
        ),
        judgement_reason=assessment.judgement_reason,
    )
    now = timezone.now()
    assessment.submitted_at = now
    assessment.status = Status.PENDING_APPROVAL if decision.needs_approval else Status.SUBMITTED
    assessment.save()
    waiting = RiskAssessment.objects.filter(case_id=case.pk, status=Status.PENDING_APPROVAL)
    superseded = list(waiting.exclude(pk=assessment.pk).values_list("pk", flat=True))
    if superseded:
        RiskAssessment.objects.filter(pk__in=superseded).update(
            status=Status.SUPERSEDED, updated_at=now
        )
    # The event points at the assessment; the reason stays in it (encrypted), not in the log.
    data = {
        "assessment": assessment.pk,
        "from": in_force,
        "computed": assessment.computed_level,
        "proposed": assessment.final_level,
        "level": decision.level,
        "judgement_alone": assessment.is_judgement,
    }
    if superseded:
        data["superseded"] = superseded
    if decision.needs_approval:
        action = "risk.assessment_downgrade_requested"
    elif assessment.is_judgement:
        action = "case.risk_level_set"
    else:
        action = "risk.assessment_submitted"
        data["score"] = assessment.score
    event_record(action=action, actor=actor, object_type="case", object_id=case.pk, data=data)
    if decision.needs_approval:
        _ask_for_second_opinion(assessment=assessment, case=case)
    _case_level_apply(actor=actor, case=case, level=decision.level)
    _escalate_on_rising_level(actor=actor, case=case, before=in_force, after=decision.level)


def assessment_approve_downgrade(*, approver, assessment: RiskAssessment) -> RiskAssessment:
    """A second professional agrees to the lower level: of another agency than the
    assessor's, in the case's circle, able to see the case and to assess
    (`may_approve_lowering`). Refused once a later assessment was submitted."""
    with transaction.atomic():
        case = assessment.case
        case.refresh_from_db(from_queryset=Case.objects.select_for_update())
        assessment.refresh_from_db(fields=["status", "submitted_at"])
        if selectors.assessment_superseded(assessment):
            raise ValidationError(
                _(
                    "A later assessment of this case has been submitted since: this lower level can no longer be approved."
                ),
                code="superseded",
            )
        if assessment.status != Status.PENDING_APPROVAL:
            raise ValidationError(_("This assessment is not waiting for approval."))
        if not cases_visible_to(approver).filter(pk=case.pk).exists():
            raise PermissionDenied
        if not may_approve_lowering(
            user=approver, case=case, proposer_agency_id=assessment.agency_id
        ):
            raise ValidationError(
                _(
                    "The approval must come from a professional of another agency in the case's circle."
                )
            )
        assessment.status = Status.SUBMITTED
        assessment.approved_by = approver
        assessment.approved_at = timezone.now()
        assessment.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        event_record(
            action="risk.assessment_downgrade_approved",
            actor=approver,
            object_type="case",
            object_id=case.pk,
            data={
                "assessment": assessment.pk,
                "from": case.risk_level,
                "level": assessment.final_level,
            },
        )
        _case_level_apply(actor=approver, case=case, level=assessment.final_level)
    return assessment


def assessment_correct(*, actor, original: RiskAssessment) -> RiskAssessment:
    """A submitted assessment never changes: a correction is a new draft linked to it,
    submitted like any other (a lower level then waits for a second opinion)."""
    if original.status == Status.DRAFT:
        raise ValidationError(_("A draft can be edited directly."))
    if original.instrument_version is None:  # is_judgement
        raise ValidationError(
            _("A level set by judgement alone is corrected by setting the level again.")
        )
    correction = assessment_draft_save(
        actor=actor,
        case=original.case,
        instrument_version=original.instrument_version,
        answers=dict(original.answers),
        victim_fear=original.victim_fear,
        victim_view=original.victim_view,
    )
    correction.corrects = original
    correction.save(update_fields=["corrects"])
    return correction


def _ask_for_second_opinion(*, assessment: RiskAssessment, case: Case) -> None:
    """Everyone who may approve is told: professionals of the other agencies in the circle."""
    circle = CircleMember.objects.filter(case=case, removed_at__isnull=True).values("agency_id")
    candidates = (
        users_with_capability("risk.assess")
        .filter(agency_id__in=circle)
        .exclude(agency_id=assessment.agency_id)
    )
    others = [
        user
        for user in candidates
        if may_approve_lowering(user=user, case=case, proposer_agency_id=assessment.agency_id)
    ]
    notify(
        recipients=others,
        kind="risk.downgrade_requested",
        params={"reference": case.reference},
        url=f"/cases/{case.pk}/risk/{assessment.pk}/",
        dedupe_key=f"downgrade:{assessment.pk}",
    )


def _case_level_apply(*, actor, case: Case, level: str) -> None:
    """The one writer of `Case.risk_level` (the caller holds the case's row lock and has
    decided, with `level_decide` or an approval): the case takes the level, the next
    assessment falls due by it (BIRGE_REASSESSMENT_HOURS), and high or critical risk
    meets the conference's criterion (the conference queues the case)."""
    hours = settings.BIRGE_REASSESSMENT_HOURS[level]
    case_touch(case, risk_level=level, reassessment_due_at=timezone.now() + timedelta(hours=hours))
    if level in HIGH:
        events.conference_criterion_met.send(Case, case=case, criterion="risk", actor=actor)


def _escalate_on_rising_level(*, actor, case: Case, before: str, after: str) -> None:
    """The level in force rising (standard → high, by any route) escalates; a raw score
    rising does not (high on one item alone, then standard on a higher count, is a fall).
    A first level, from none, is not a rise."""
    if not before or level_rank(after) <= level_rank(before):
        return
    case_escalate(case=case, trigger="rising_level", actor=actor)
    # The assessment just made is the reassessment: the next one falls due as usual.
    hours = settings.BIRGE_REASSESSMENT_HOURS[case.risk_level]
    case_touch(case, reassessment_due_at=timezone.now() + timedelta(hours=hours))
