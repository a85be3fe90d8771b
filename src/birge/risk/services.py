"""Risk assessments: drafts, submission with professional judgement, the second opinion
that lowering a computed level needs, and corrections. Instrument versions are data."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases import events
from birge.cases.models import Case, RiskLevel
from birge.cases.services._common import case_touch
from birge.cases.services.lifecycle import case_escalate
from birge.notifications.services import notify
from birge.risk.engine import (
    ANSWERS,
    InstrumentError,
    instrument_load,
    level_index,
    score,
    shipped_instruments,
)
from birge.risk.models import InstrumentVersion, RiskAssessment

HIGH = (RiskLevel.HIGH, RiskLevel.CRITICAL)


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
    """Submit: every item answered; professional judgement may raise the level with a
    reason; lowering it needs a second professional from another agency."""
    if assessment.status != RiskAssessment.Status.DRAFT or assessment.assessed_by_id != actor.pk:
        raise ValidationError(_("Only your own draft can be submitted."))
    instrument = assessment.instrument_version.instrument
    result = score(instrument, assessment.answers)
    if result.missing:
        language = (getattr(actor, "language", "") or "az")[:2]
        from django.utils import translation

        language = translation.get_language() or language
        names = [
            instrument.item(i).texts.get(language[:2], instrument.item(i).texts["az"])
            for i in result.missing
        ]
        raise ValidationError(
            [_("Not answered: %(item)s") % {"item": name} for name in names], code="missing"
        )
    final_level = final_level or result.level
    if final_level not in RiskLevel.values:
        raise ValidationError({"final_level": _("Choose a risk level.")})
    judgement_reason = (judgement_reason or "").strip()
    if final_level != result.level and len(judgement_reason) < 10:
        raise ValidationError(
            {
                "judgement_reason": _(
                    "A level other than the computed one needs a written reason (at least 10 characters)."
                )
            }
        )
    lowering = level_index(final_level) < level_index(result.level)
    with transaction.atomic():
        assessment.score = result.score
        assessment.computed_level = result.level
        assessment.reasons = [[r.code, r.params] for r in result.reasons]
        assessment.final_level = final_level
        assessment.judgement_reason = judgement_reason
        assessment.submitted_at = timezone.now()
        if lowering:
            assessment.status = RiskAssessment.Status.PENDING_APPROVAL
            assessment.save()
            event_record(
                action="risk.assessment_downgrade_requested",
                actor=actor,
                object_type="case",
                object_id=assessment.case_id,
                reason=judgement_reason,
                data={
                    "assessment": assessment.pk,
                    "computed": result.level,
                    "proposed": final_level,
                },
            )
            _ask_for_second_opinion(assessment)
            # Until someone else agrees, the computed level stands.
            _apply_level(actor=actor, assessment=assessment, level=result.level)
        else:
            assessment.status = RiskAssessment.Status.SUBMITTED
            assessment.save()
            event_record(
                action="risk.assessment_submitted",
                actor=actor,
                object_type="case",
                object_id=assessment.case_id,
                reason=judgement_reason,
                data={
                    "assessment": assessment.pk,
                    "score": result.score,
                    "computed": result.level,
                    "level": final_level,
                },
            )
            _apply_level(actor=actor, assessment=assessment, level=final_level)
    return assessment


def assessment_approve_downgrade(*, approver, assessment: RiskAssessment) -> RiskAssessment:
    """A second professional, of another agency and able to see the case, agrees."""
    if assessment.status != RiskAssessment.Status.PENDING_APPROVAL:
        raise ValidationError(_("This assessment is not waiting for approval."))
    if approver.agency_id == assessment.agency_id or not user_has_capability(
        approver, "risk.assess"
    ):
        raise ValidationError(_("The approval must come from a professional of another agency."))
    if not cases_visible_to(approver).filter(pk=assessment.case_id).exists():
        raise PermissionDenied
    with transaction.atomic():
        assessment.status = RiskAssessment.Status.SUBMITTED
        assessment.approved_by = approver
        assessment.approved_at = timezone.now()
        assessment.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        event_record(
            action="risk.assessment_downgrade_approved",
            actor=approver,
            object_type="case",
            object_id=assessment.case_id,
            data={"assessment": assessment.pk, "level": assessment.final_level},
        )
        _apply_level(actor=approver, assessment=assessment, level=assessment.final_level)
    return assessment


def assessment_correct(*, actor, original: RiskAssessment) -> RiskAssessment:
    """A submitted assessment never changes: a correction is a new draft linked to it."""
    if original.status == RiskAssessment.Status.DRAFT:
        raise ValidationError(_("A draft can be edited directly."))
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


def _ask_for_second_opinion(assessment: RiskAssessment) -> None:
    case = assessment.case
    others = [
        user
        for user in users_with_capability("risk.assess").exclude(agency_id=assessment.agency_id)
        if cases_visible_to(user).filter(pk=case.pk).exists()
    ]
    notify(
        recipients=others,
        kind="risk.downgrade_requested",
        params={"reference": case.reference},
        url=f"/cases/{case.pk}/risk/{assessment.pk}/",
        dedupe_key=f"downgrade:{assessment.pk}",
    )


def _apply_level(*, actor, assessment: RiskAssessment, level: str) -> None:
    """The case takes the level; the next assessment falls due; high risk goes to the
    conference; a score higher than the last one with this instrument escalates."""
    case = Case.objects.select_for_update().get(pk=assessment.case_id)
    hours = settings.BIRGE_REASSESSMENT_HOURS[level]
    case_touch(
        case,
        risk_level=level,
        reassessment_due_at=timezone.now() + timedelta(hours=hours),
    )
    if level in HIGH:
        events.conference_criterion_met.send(Case, case=case, criterion="risk", actor=actor)
    previous = (
        RiskAssessment.objects.filter(
            case_id=case.pk,
            instrument_version__instrument_id=assessment.instrument_version.instrument_id,
            status=RiskAssessment.Status.SUBMITTED,
        )
        .exclude(pk=assessment.pk)
        .order_by("-submitted_at")
        .first()
    )
    if (
        previous is not None
        and previous.score is not None
        and (assessment.score or 0) > previous.score
    ):
        case_escalate(case=case, trigger="rising_score", actor=actor)
        # The assessment just made is the reassessment: the next one falls due as usual.
        case_touch(case, reassessment_due_at=timezone.now() + timedelta(hours=hours))
