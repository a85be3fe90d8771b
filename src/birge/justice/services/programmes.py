"""Perpetrator programmes (Istanbul Convention Art. 16): a perpetrator of a case referred
to a programme that an agency offers (a `perpetrator_programme` service of the
directory), his attendance, and its end — completed, dropped out, or never started —
reported back to the case's circle.

Who records: a user with `justice.record` whose agency is in the case's circle (the court
or prosecutor that ordered it, the coordinator who referred him voluntarily); she also
records what the provider reports back."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.justice import agency_in_circle
from birge.agencies.models import Agency, User
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases.models import Case, Part, Person
from birge.cases.services._common import case_coordinators, case_touch
from birge.justice.models import ProgrammeReferral
from birge.justice.selectors_proceedings import programme_providers
from birge.justice.services.proceedings import TEXT_MAX_LENGTH, StaleProceedingError
from birge.notifications.services import notify
from birge.privacy.fields import encrypted_for_row

Status = ProgrammeReferral.Status
OPEN = (Status.REFERRED, Status.ATTENDING)
ENDINGS = (Status.COMPLETED, Status.DROPPED_OUT, Status.DECLINED)
MAX_SESSIONS = 500


def may_record_programmes(*, user: User, case: Case) -> bool:
    """A user with `justice.record` whose agency is in the circle of a case she may see."""
    return (
        case.status == Case.Status.OPEN
        and user_has_capability(user, "justice.record")
        and agency_in_circle(user=user, case=case)
    )


def _require_recorder(actor: User, case: Case) -> None:
    if not may_record_programmes(user=actor, case=case):
        raise PermissionDenied


def _note(value: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep this within %(max)d characters (it has %(n)d).")
                % {"max": TEXT_MAX_LENGTH, "n": len(value)}
            }
        )
    return value


def _sessions_error(value: int | None) -> str:
    if value is not None and not 0 <= value <= MAX_SESSIONS:
        return _("Give a number from 0 to %(max)d.") % {"max": MAX_SESSIONS}
    return ""


def programme_refer(
    *,
    actor: User,
    case: Case,
    perpetrator: Person | None,
    provider: Agency | None,
    referred_on: date | None,
    mandated: bool = False,
    sessions_planned: int | None = None,
    note: str = "",
) -> ProgrammeReferral:
    """Refer a perpetrator of the case to a programme of the directory."""
    _require_recorder(actor, case)
    errors: dict[str, str] = {}
    if (
        perpetrator is None
        or not case.participants.filter(person=perpetrator, part=Part.PERPETRATOR).exists()
    ):
        errors["perpetrator"] = _("Choose a perpetrator of this case.")
    if provider is None or not programme_providers().filter(pk=provider.pk).exists():
        errors["provider"] = _("Choose an agency that offers a perpetrator programme.")
    if referred_on is None:
        errors["referred_on"] = _("Give the date.")
    elif referred_on > timezone.localdate():
        errors["referred_on"] = _("The date is in the future: give today or an earlier date.")
    if sessions_planned is not None and (message := _sessions_error(sessions_planned)):
        errors["sessions_planned"] = message
    note = _note(note)
    if errors or perpetrator is None or provider is None or referred_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        case_touch(case)
        programme = ProgrammeReferral.objects.create(
            case=case,
            perpetrator=perpetrator,
            provider=provider,
            mandated=mandated,
            referred_on=referred_on,
            sessions_planned=sessions_planned,
            note=note,
            referred_by=actor,
        )
        event_record(
            action="justice.programme_referred",
            actor=actor,
            object_type="programme_referral",
            object_id=programme.pk,
            data={"case": case.pk, "provider": provider.pk, "mandated": mandated},
        )
    return programme


def _update(programme: ProgrammeReferral, *, version: int | None, **changes: object) -> None:
    expected = programme.version if version is None else version
    updated = ProgrammeReferral.objects.filter(
        pk=programme.pk, version=expected, status__in=OPEN
    ).update(
        version=F("version") + 1,
        updated_at=timezone.now(),
        **encrypted_for_row(ProgrammeReferral, pk=programme.pk, **changes),
    )
    if not updated:
        raise StaleProceedingError
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.version = expected + 1


def programme_attendance_record(
    *,
    actor: User,
    programme: ProgrammeReferral,
    sessions_attended: int | None,
    version: int | None = None,
) -> ProgrammeReferral:
    """How many sessions he attended so far, as the provider reports it."""
    case = programme.case
    _require_recorder(actor, case)
    if programme.status not in OPEN:
        raise ValidationError(_("This programme referral has ended."))
    message = _sessions_error(sessions_attended) if sessions_attended is not None else ""
    if sessions_attended is None:
        message = _("Give the number of sessions attended.")
    elif not message and sessions_attended < programme.sessions_attended:
        message = _("Fewer sessions than recorded before (%(n)d).") % {
            "n": programme.sessions_attended
        }
    if message:
        raise ValidationError({"sessions_attended": message})
    status = Status.ATTENDING if sessions_attended else programme.status
    with transaction.atomic():
        case_touch(case)
        _update(programme, version=version, sessions_attended=sessions_attended, status=status)
        event_record(
            action="justice.programme_attendance",
            actor=actor,
            object_type="programme_referral",
            object_id=programme.pk,
            data={"case": case.pk, "sessions": sessions_attended},
        )
    return programme


def programme_end(
    *,
    actor: User,
    programme: ProgrammeReferral,
    status: str,
    ended_on: date | None,
    sessions_attended: int | None = None,
    note: str = "",
    version: int | None = None,
) -> ProgrammeReferral:
    """He completed the programme, dropped out, or never started it; the circle hears."""
    case = programme.case
    _require_recorder(actor, case)
    if programme.status not in OPEN:
        raise ValidationError(_("This programme referral has ended."))
    errors: dict[str, str] = {}
    if status not in ENDINGS:
        errors["status"] = _("Choose completed, dropped out or did not start.")
    if ended_on is None:
        errors["ended_on"] = _("Give the date.")
    elif ended_on > timezone.localdate():
        errors["ended_on"] = _("The date is in the future: give today or an earlier date.")
    elif ended_on < programme.referred_on:
        errors["ended_on"] = _("It cannot end before he was referred (%(day)s).") % {
            "day": programme.referred_on.isoformat()
        }
    attended = programme.sessions_attended if sessions_attended is None else sessions_attended
    if message := _sessions_error(attended):
        errors["sessions_attended"] = message
    elif attended < programme.sessions_attended:
        errors["sessions_attended"] = _("Fewer sessions than recorded before (%(n)d).") % {
            "n": programme.sessions_attended
        }
    elif status == Status.DECLINED and attended:
        errors["status"] = _("He attended sessions: he started the programme.")
    note = _note(note)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case_touch(case)
        changes: dict[str, object] = {
            "status": status,
            "ended_on": ended_on,
            "sessions_attended": attended,
        }
        if note:
            changes["note"] = note
        _update(programme, version=version, **changes)
        event_record(
            action="justice.programme_ended",
            actor=actor,
            object_type="programme_referral",
            object_id=programme.pk,
            data={"case": case.pk, "status": status, "sessions": attended},
        )
        _tell_circle(case, programme, actor)
    return programme


def circle_recorders(case: Case) -> list[User]:
    """Who hears how a programme ended: the case's coordinators and, in every agency of
    the circle, those who record its justice side (`justice.record`)."""
    agencies = list(case.circle.filter(removed_at__isnull=True).values_list("agency_id", flat=True))
    people = {u.pk: u for u in case_coordinators(case)}
    for user in users_with_capability("justice.record").filter(agency_id__in=agencies):
        people.setdefault(user.pk, user)
    return list(people.values())


def _tell_circle(case: Case, programme: ProgrammeReferral, actor: User) -> None:
    notify(
        recipients=[u for u in circle_recorders(case) if u.pk != actor.pk],
        kind=f"justice.programme_{programme.status}",
        params={"reference": case.reference, "agency_id": programme.provider_id},
        url=f"/cases/{case.pk}/",
        dedupe_key=f"justice-programme:{programme.pk}:{programme.status}",
    )
