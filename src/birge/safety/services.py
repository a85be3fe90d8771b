"""Writes to safety plans, and the record of who read them.

Callers have already obtained the case through birge.access.cases (`write=True` for the
writes); each function here checks the `safety.plan` capability itself, so that the API
and the pages cannot differ. Every change and every read leaves an audit event on the
case ("case", case id), so that it shows in the case's timeline and access log.

Before a plan is saved, its text is checked for the names and places of the case that
the writer may see (selectors.safety_plan_mentions): each passage found is shown to her, to
rewrite. She may also save it as it is, for the agencies, by confirming the passages she
was shown (`confirm`, the fingerprint PlanMentionsError gave); her copy leaves them out
either way (birge.safety.paper), so nothing is lost and nothing reaches her copy.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from birge.agencies.models import Agency
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import Case, CasePerson, Part
from birge.cases.services._common import case_touch
from birge.privacy.redaction import Hit
from birge.safety.models import (
    ACTION_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    SECTION_NAMES,
    SafetyAction,
    SafetyPlan,
    SafetyPlanRevision,
)
from birge.safety.selectors import responsible_agencies, safety_plan_mentions

LANGUAGES = ("az", "ru", "en")


class StalePlanError(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this safety plan meanwhile. Reload it and make your "
                "change again."
            ),
            code="stale",
        )


class PlanMentionsError(ValidationError):
    """Sections that name a person or a place of the case: `mentions` holds each
    section's hits in `texts` (the sections as they would be saved), `fingerprint` what
    the writer posts back to save them anyway."""

    def __init__(self, texts: dict[str, str], mentions: dict[str, list[Hit]], fingerprint: str):
        message = _(
            "This names a person or a place of the case (marked below). Her copy leaves the "
            "marked words out: rewrite them in words only she understands, or save anyway."
        )
        super().__init__({name: ValidationError(message, code="mentions") for name in mentions})
        self.texts = texts
        self.mentions = mentions
        self.fingerprint = fingerprint


def mentions_fingerprint(*, sections: dict[str, str], mentions: dict[str, list[Hit]]) -> str:
    """A keyed digest of the passages found, whatever their position: the confirmation
    holds for the passages she was shown, not for new ones she added since."""
    passages = sorted(
        f"{name}\x1e{hit.kind}\x1e{sections[name][hit.start : hit.end].casefold()}"
        for name, hits in mentions.items()
        for hit in hits
    )
    return salted_hmac("birge.safety.plan_mentions", "\x1f".join(passages)).hexdigest()[:32]


def _require_planning(actor) -> None:
    if not user_has_capability(actor, "safety.plan"):
        raise PermissionDenied


def _clean_sections(sections: dict[str, str]) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_NAMES)
    if unknown:
        raise ValueError(f"unknown safety plan sections: {sorted(unknown)}")
    cleaned = {name: (sections.get(name) or "").strip() for name in SECTION_NAMES}
    errors = {}
    for name, text in cleaned.items():
        if len(text) > SECTION_MAX_LENGTH:
            errors[name] = _("Keep this section under %(n)d characters.") % {
                "n": SECTION_MAX_LENGTH
            }
        elif "\x00" in text:
            errors[name] = _("This text contains a character that cannot be saved.")
    if not errors and not any(cleaned.values()):
        errors["__all__"] = _("Write at least one section of the plan.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def safety_plan_save(
    *,
    actor,
    case: Case,
    victim: CasePerson,
    sections: dict[str, str],
    language: str,
    version: int,
    confirm: str = "",
) -> SafetyPlan:
    """Make the victim's plan, or save a new revision of it.

    `version` is the plan version the user saw: 0 when she started a new plan. When the
    plan changed (or was made) meanwhile, StalePlanError: her text is not lost, the form
    keeps it, but it does not overwrite a colleague's. When a section names a person or
    a place of the case, PlanMentionsError, unless `confirm` is its fingerprint."""
    _require_planning(actor)
    if victim.case_id != case.pk or victim.part != Part.VICTIM:
        raise ValidationError({"victim": _("Choose a victim in this case.")})
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose the language of her copy.")})
    cleaned = _clean_sections(sections)
    mentions = safety_plan_mentions(case=case, user=actor, sections=cleaned)
    if mentions:
        fingerprint = mentions_fingerprint(sections=cleaned, mentions=mentions)
        if not constant_time_compare(confirm or "", fingerprint):
            raise PlanMentionsError(cleaned, mentions, fingerprint)
    with transaction.atomic():
        plan = _plan_for_revision(
            actor=actor, case=case, victim=victim, language=language, version=version
        )
        number = plan.version
        SafetyPlanRevision.objects.create(plan=plan, number=number, author=actor, **cleaned)
        case_touch(case)
        event_record(
            action="safety.plan_saved",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={
                "plan": plan.pk,
                "revision": number,
                "language": language,
                # Passages she was shown and saved anyway (her copy leaves them out).
                "left_out": sum(len(hits) for hits in mentions.values()),
            },
        )
    return plan


def _plan_for_revision(*, actor, case, victim, language, version) -> SafetyPlan:
    if version == 0:
        try:
            with transaction.atomic():
                return SafetyPlan.objects.create(
                    case=case, victim=victim, language=language, created_by=actor, version=1
                )
        except IntegrityError:
            raise StalePlanError from None
    plan = SafetyPlan.objects.filter(case=case, victim=victim).first()
    if plan is None:
        raise StalePlanError
    updated = SafetyPlan.objects.filter(pk=plan.pk, version=version).update(
        version=F("version") + 1, language=language, updated_at=timezone.now()
    )
    if not updated:
        raise StalePlanError
    plan.refresh_from_db()
    return plan


def safety_action_add(
    *,
    actor,
    case: Case,
    plan: SafetyPlan,
    text: str,
    agency: Agency,
    due_on: datetime.date,
    responsible=None,
) -> SafetyAction:
    """An action an agency of the case's circle takes on, by a date, perhaps by a person."""
    _require_planning(actor)
    if plan.case_id != case.pk:
        raise ValueError("the plan is not of this case")
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write what is to be done.")
    elif len(text) > ACTION_MAX_LENGTH:
        errors["text"] = _("Keep this under %(n)d characters.") % {"n": ACTION_MAX_LENGTH}
    if not responsible_agencies(case=case).filter(pk=agency.pk).exists():
        errors["agency"] = _("Choose an agency in this case's circle.")
    elif responsible is not None and not (
        responsible.is_active and responsible.agency_id == agency.pk
    ):
        errors["responsible"] = _("The responsible person must work in the responsible agency.")
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        errors["due_on"] = _("Enter a date.")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = SafetyAction.objects.create(
            plan=plan,
            text=text,
            agency=agency,
            responsible=responsible,
            due_on=due_on,
            created_by=actor,
        )
        case_touch(case)
        event_record(
            action="safety.action_added",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"plan": plan.pk, "action": action.pk, "agency": agency.pk},
        )
    return action


def safety_action_set_status(
    *, actor, case: Case, action: SafetyAction, status: str
) -> SafetyAction:
    """Mark an action done or cancelled, or open it again. Two people closing the same
    action at once: the second is told, rather than the first closing being rewritten."""
    _require_planning(actor)
    if action.plan.case_id != case.pk:
        raise ValueError("the action is not of this case")
    if status not in SafetyAction.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == action.status:
        raise ValidationError({"status": _("The action already has this status.")})
    closing = status != SafetyAction.Status.OPEN
    changes = {
        "status": status,
        "closed_by": actor if closing else None,
        "closed_at": timezone.now() if closing else None,
    }
    with transaction.atomic():
        previous = action.status
        updated = SafetyAction.objects.filter(pk=action.pk, status=previous).update(**changes)
        if not updated:
            raise StalePlanError
        for name, value in changes.items():
            setattr(action, name, value)
        case_touch(case)
        event_record(
            action="safety.action_status_changed",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"plan": action.plan_id, "action": action.pk, "from": previous, "to": status},
        )
    return action


def safety_plan_read_record(*, user, case: Case, plan: SafetyPlan, channel: str = "page") -> None:
    """Reads leave a trace: the plan page and her printed copy (`safety.plan_viewed`),
    and the PDF (`safety.plan_pdf`)."""
    action = "safety.plan_pdf" if channel == "pdf" else "safety.plan_viewed"
    with transaction.atomic():
        event_record(
            action=action,
            actor=user,
            object_type="case",
            object_id=case.pk,
            data={"plan": plan.pk, "channel": channel},
        )
