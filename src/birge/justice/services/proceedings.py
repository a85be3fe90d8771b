"""Criminal and administrative proceedings against a perpetrator of a case: opened on a
complaint, then investigation, charge, trial and an outcome with the sentence. The date
each stage began is kept (`ProceedingStage`). Recorded only by justice agencies
(`justice.record`, an agency of a justice kind: `birge.access.justice`); the coordinator
hears of each new stage (the stage's code only)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.justice import agency_in_circle, agency_is_justice
from birge.agencies.models import User
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import Case, Incident, Part, Person
from birge.cases.services._common import case_coordinators, case_touch
from birge.justice.models import Proceeding, ProceedingStage
from birge.justice.selectors_proceedings import stage_rank
from birge.notifications.services import notify
from birge.privacy.fields import encrypted_for_row

TEXT_MAX_LENGTH = 4000
Stage = Proceeding.Stage
Outcome = Proceeding.Outcome


class StaleProceedingError(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("Someone else changed this meanwhile. Reload the page and try again."),
            code="stale",
        )


def may_record_proceedings(*, user: User, case: Case) -> bool:
    """A user with `justice.record` of a justice agency in the circle, on an open case
    she may see (not on emergency access alone)."""
    return (
        case.status == Case.Status.OPEN
        and user_has_capability(user, "justice.record")
        and agency_is_justice(user.agency)
        and agency_in_circle(user=user, case=case)
    )


def _require_recorder(actor: User, case: Case) -> None:
    if not may_record_proceedings(user=actor, case=case):
        raise PermissionDenied


def _clean_text(value: str, name: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                name: _("Keep this within %(max)d characters (it has %(n)d).")
                % {"max": TEXT_MAX_LENGTH, "n": len(value)}
            }
        )
    return value


def _date_errors(day: date | None, name: str, errors: dict) -> None:
    if day is None:
        errors[name] = _("Give the date.")
    elif day > timezone.localdate():
        errors[name] = _("The date is in the future: give today or an earlier date.")


def proceeding_open(
    *,
    actor: User,
    case: Case,
    perpetrator: Person | None,
    kind: str,
    opened_on: date | None,
    incident: Incident | None = None,
    note: str = "",
) -> Proceeding:
    """Open proceedings on a complaint: the complaint is their first stage, begun on
    `opened_on`; the actor's agency holds the file."""
    _require_recorder(actor, case)
    errors: dict[str, str] = {}
    if (
        perpetrator is None
        or not case.participants.filter(person=perpetrator, part=Part.PERPETRATOR).exists()
    ):
        errors["perpetrator"] = _("Choose a perpetrator of this case.")
    if incident is not None and incident.case_id != case.pk:
        errors["incident"] = _("Choose an incident of this case.")
    if kind not in Proceeding.Kind.values:
        errors["kind"] = _("Choose criminal or administrative.")
    _date_errors(opened_on, "opened_on", errors)
    if incident is not None and opened_on is not None and opened_on < incident.occurred_on:
        errors["opened_on"] = _("The complaint cannot be made before the incident happened.")
    note = _clean_text(note, "note")
    if errors or perpetrator is None or opened_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        case_touch(case)
        proceeding = Proceeding.objects.create(
            case=case,
            perpetrator=perpetrator,
            incident=incident,
            kind=kind,
            stage=Stage.COMPLAINT,
            agency=actor.agency,
            opened_on=opened_on,
            recorded_by=actor,
        )
        ProceedingStage.objects.create(
            proceeding=proceeding,
            stage=Stage.COMPLAINT,
            began_on=opened_on,
            agency=actor.agency,
            note=note,
            recorded_by=actor,
        )
        event_record(
            action="justice.proceeding_opened",
            actor=actor,
            object_type="proceeding",
            object_id=proceeding.pk,
            data={"case": case.pk, "kind": kind, "agency": actor.agency_id},
        )
        _tell_coordinators(case, proceeding, actor)
    return proceeding


def proceeding_stage_record(
    *,
    actor: User,
    proceeding: Proceeding,
    stage: str,
    began_on: date | None,
    outcome: str = "",
    sentence: str = "",
    note: str = "",
    version: int | None = None,
) -> Proceeding:
    """A new stage began: later than the current one (stages may be skipped: a dismissed
    complaint goes to its outcome), not before the previous stage began, not in the
    future. The outcome (and, on a conviction, the sentence) is given at the outcome stage
    and only there."""
    case = proceeding.case
    _require_recorder(actor, case)
    if proceeding.stage == Stage.OUTCOME:
        raise ValidationError(_("These proceedings are decided: no further stage."))
    errors: dict[str, str] = {}
    if stage not in Stage.values:
        errors["stage"] = _("Choose a stage from the list.")
    elif stage_rank(stage) <= stage_rank(proceeding.stage):
        errors["stage"] = _("Choose a stage after the current one (%(stage)s).") % {
            "stage": Stage(proceeding.stage).label
        }
    _date_errors(began_on, "began_on", errors)
    previous = proceeding.stages.order_by("-began_on", "-id").values_list("began_on", flat=True)
    latest = previous.first()
    if began_on is not None and latest is not None and began_on < latest:
        errors["began_on"] = _("A stage cannot begin before the previous one (%(day)s).") % {
            "day": latest.isoformat()
        }
    sentence = _clean_text(sentence, "sentence")
    note = _clean_text(note, "note")
    if stage == Stage.OUTCOME:
        if outcome not in Outcome.values:
            errors["outcome"] = _(
                "Give the outcome: conviction, acquittal, dismissal or reconciliation."
            )
        elif sentence and outcome != Outcome.CONVICTION:
            errors["sentence"] = _("A sentence follows a conviction only.")
    else:
        if outcome:
            errors["outcome"] = _("The outcome is given at the outcome stage only.")
        if sentence:
            errors["sentence"] = _("The sentence is given at the outcome stage only.")
    if errors or began_on is None:
        raise ValidationError(errors)
    expected = proceeding.version if version is None else version
    with transaction.atomic():
        case_touch(case)
        changes = {"stage": stage, "outcome": outcome, "sentence": sentence}
        updated = Proceeding.objects.filter(
            pk=proceeding.pk, version=expected, stage=proceeding.stage
        ).update(
            version=F("version") + 1,
            updated_at=timezone.now(),
            **encrypted_for_row(Proceeding, pk=proceeding.pk, **changes),
        )
        if not updated:
            raise StaleProceedingError
        try:
            with transaction.atomic():
                ProceedingStage.objects.create(
                    proceeding=proceeding,
                    stage=stage,
                    began_on=began_on,
                    agency=actor.agency,
                    note=note,
                    recorded_by=actor,
                )
        except IntegrityError:
            raise StaleProceedingError from None
        for name, value in changes.items():
            setattr(proceeding, name, value)
        proceeding.version = expected + 1
        event_record(
            action="justice.proceeding_stage",
            actor=actor,
            object_type="proceeding",
            object_id=proceeding.pk,
            data={"case": case.pk, "stage": stage, "outcome": outcome},
        )
        _tell_coordinators(case, proceeding, actor)
    return proceeding


def _tell_coordinators(case: Case, proceeding: Proceeding, actor: User) -> None:
    """The victim's coordinator sees the stage: she hears that proceedings were opened, moved
    on or were decided (the case's reference only; the page tells her the stage)."""
    if proceeding.stage == Stage.COMPLAINT:
        kind = "justice.proceeding_opened"
    elif proceeding.stage == Stage.OUTCOME:
        kind = "justice.proceeding_decided"
    else:
        kind = "justice.proceeding_stage"
    notify(
        recipients=[u for u in case_coordinators(case) if u.pk != actor.pk],
        kind=kind,
        params={"reference": case.reference},
        url=f"/cases/{case.pk}/",
        dedupe_key=f"justice-proceeding:{proceeding.pk}:{proceeding.stage}",
    )
