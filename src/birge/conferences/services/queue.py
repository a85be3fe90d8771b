"""How a case reaches the conference's queue, and leaves it.

A case enters the queue of its area's series by any of five criteria:

- risk: an assessment put it at high or critical risk (birge.risk.services);
- judgement: a professional referred it with a written reason (`conference_refer`);
- escalation: BIRGE_ESCALATION_INCIDENTS incidents (default 3) within 12 months
  (birge.cases.services.registration);
- repeat: a new incident between the same victim and perpetrator within 12 months of the
  case's last conference (`conference_check_repeat`). The same pair is the same case, or
  another case whose victim and perpetrator are the same people by the identity indexes
  (name with date of birth, or name with phone). Repeats are marked as such.
- breach: a breach of a protection order was recorded (birge.justice.services.orders).

The referral carries the case's latest submitted assessment and its level: nobody asks
the victim, or the referrer, for them a second time. A case waits once per series: a
second criterion while it waits is recorded on the case's log, not queued twice (a
repeat marks the waiting referral as a repeat).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import Case, CasePerson, Incident, Part, PersonIndex, RiskLevel
from birge.cases.services._common import case_touch
from birge.conferences.models import ConferenceReferral, ConferenceSeries
from birge.conferences.selectors import series_for_case
from birge.conferences.services._common import clean_text, require_chair, update_versioned
from birge.notifications.services import notify
from birge.risk.models import RiskAssessment

Criterion = ConferenceReferral.Criterion
Status = ConferenceReferral.Status
WAITING = (Status.QUEUED, Status.LISTED)
STRONG = (PersonIndex.Purpose.NAME_BIRTH, PersonIndex.Purpose.NAME_PHONE)
HIGH_RISK = (RiskLevel.HIGH, RiskLevel.CRITICAL)


def conference_queue(
    *,
    case: Case,
    criterion: str,
    actor=None,
    reason: str = "",
    series: ConferenceSeries | None = None,
    previous: ConferenceReferral | None = None,
    since=None,
) -> ConferenceReferral | None:
    """Put the case in the queue of its area's series (or of `series`). Returns the new
    referral, or None when it already waits there or no series covers its area.
    `since`: when it met the criterion, if earlier than now (its place in the queue)."""

    if criterion not in Criterion.values:
        raise ValueError(f"unknown conference criterion {criterion!r}")
    series = series or series_for_case(case)
    is_repeat = criterion == Criterion.REPEAT
    with transaction.atomic():
        if series is None:
            # No conference covers the area yet: the case is marked as waiting, once.
            if case.conference_queued_at is None:
                case_touch(case, conference_queued_at=timezone.now())
                _record(actor, case, "case.conference_queued", criterion=criterion, series=None)
            return None
        waiting = (
            ConferenceReferral.objects.select_for_update()
            .filter(series=series, case=case, status__in=WAITING)
            .first()
        )
        if waiting is not None:
            if is_repeat and not waiting.is_repeat:
                update_versioned(waiting, is_repeat=True, previous=previous)
            _record(actor, case, "conference.criterion_met", criterion=criterion, series=series.pk)
            return None
        latest = (
            RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.SUBMITTED)
            .order_by("-submitted_at", "-id")
            .first()
        )
        try:
            with transaction.atomic():
                referral = ConferenceReferral.objects.create(
                    series=series,
                    case=case,
                    criterion=criterion,
                    reason=reason,
                    risk_assessment=latest,
                    risk_level=case.risk_level,
                    is_repeat=is_repeat,
                    previous=previous,
                    referred_by=actor,
                    referred_at=since or timezone.now(),
                )
        except IntegrityError:  # queued by another request at the same moment
            return None
        case_touch(case, conference_queued_at=referral.referred_at)
        _record(
            actor,
            case,
            "case.conference_queued",
            criterion=criterion,
            series=series.pk,
            referral=referral.pk,
            repeat=is_repeat,
        )
        notify(
            recipients=chairs_of(series),
            kind="conference.repeat_queued" if is_repeat else "conference.queued",
            params={"reference": case.reference},
            url=f"/conferences/series/{series.pk}/",
            dedupe_key=f"conference-queued:{referral.pk}",
        )
    return referral


def series_adopt_waiting(series: ConferenceSeries, *, actor=None) -> int:
    """A new (or newly active) series takes in the open cases of its area that met a
    criterion while no conference covered it, in the order they met it. Returns how many."""
    if not series.is_active:
        return 0
    marked = (
        Case.objects.filter(
            region_id=series.region_id,
            status=Case.Status.OPEN,
            conference_queued_at__isnull=False,
        )
        .exclude(conference_referrals__status__in=WAITING)
        .order_by("conference_queued_at", "pk")
    )
    adopted = 0
    for case in marked:
        criterion = Criterion.RISK if case.risk_level in HIGH_RISK else Criterion.ESCALATION
        queued = conference_queue(
            case=case,
            criterion=criterion,
            actor=actor,
            series=series,
            since=case.conference_queued_at,
        )
        adopted += queued is not None
    return adopted


def conference_refer(
    *, actor, case: Case, reason: str, series: ConferenceSeries | None = None
) -> ConferenceReferral:
    """A professional refers the case on her judgement, with a written reason."""
    if not user_has_capability(actor, "conference.refer"):
        raise PermissionDenied
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("Only an open case can be referred to the conference."))
    reason = clean_text(
        reason, "reason", _("Write why the case needs the conference, in your own judgement.")
    )
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Write why the case needs the conference (at least 10 characters).")}
        )
    series = series or series_for_case(case)
    if series is None:
        raise ValidationError(
            _("No risk conference covers this case's area. Ask the administrator to set one up.")
        )
    if ConferenceReferral.objects.filter(series=series, case=case, status__in=WAITING).exists():
        raise ValidationError(_("This case is already in the conference's queue."))
    referral = conference_queue(
        case=case, criterion=Criterion.JUDGEMENT, actor=actor, reason=reason, series=series
    )
    if referral is None:
        raise ValidationError(_("This case is already in the conference's queue."))
    return referral


def conference_withdraw(*, actor, referral: ConferenceReferral, reason: str) -> None:
    """The chair takes a waiting case out of the queue, saying why."""
    require_chair(actor, referral.series)
    reason = clean_text(reason, "reason", _("Write why the case leaves the queue."))
    if referral.status != Status.QUEUED:
        raise ValidationError(_("Only a case waiting in the queue can be taken out of it."))
    with transaction.atomic():
        update_versioned(
            referral,
            statuses=[Status.QUEUED],
            status=Status.WITHDRAWN,
            closed_at=timezone.now(),
            closed_by=actor,
            close_note=reason,
        )
        _unmark_case(referral.case)
        _record(actor, referral.case, "conference.withdrawn", referral=referral.pk, reason=reason)


def conference_check_repeat(*, case: Case, incident: Incident, actor=None) -> bool:
    """A new incident within 12 months of the last conference that heard this victim and
    perpetrator queues the case again, marked as a repeat. True when it did."""
    previous = last_hearing_of_pair(case=case, on=incident.occurred_on)
    if previous is None:
        return False
    conference_queue(
        case=case,
        criterion=Criterion.REPEAT,
        actor=actor,
        series=previous.series if previous.series.is_active else None,
        previous=previous,
    )
    return True


def add_twelve_months(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def last_hearing_of_pair(*, case: Case, on: date) -> ConferenceReferral | None:
    """The latest hearing of this case's victim and perpetrator (in this case or another)
    that `on` falls within 12 months after: heard on day H, an incident on H … H + 12
    months (the same calendar day a year later) is a repeat; the day after is not."""
    candidates = (
        ConferenceReferral.objects.filter(heard_at__isnull=False)
        .filter(_same_pair(case))
        .select_related("series")
        .order_by("-heard_at", "-id")
    )
    for referral in candidates[:20]:
        heard_on = timezone.localdate(referral.heard_at)
        if heard_on <= on <= add_twelve_months(heard_on):
            return referral
    return None


def _same_pair(case: Case) -> Q:
    """The hearing was of this case, or of a case that holds the same victim and the same
    perpetrator by a strong identity index (name with date of birth, or with phone)."""
    parts = CasePerson.objects.filter(case=case)
    victims = PersonIndex.objects.filter(
        person__in=parts.filter(part=Part.VICTIM).values("person"), purpose__in=STRONG
    ).values("digest")
    perpetrators = PersonIndex.objects.filter(
        person__in=parts.filter(part=Part.PERPETRATOR).values("person"), purpose__in=STRONG
    ).values("digest")
    same_victim = CasePerson.objects.filter(
        case=OuterRef("case_id"), part=Part.VICTIM, person__indexes__digest__in=victims
    )
    same_perpetrator = CasePerson.objects.filter(
        case=OuterRef("case_id"), part=Part.PERPETRATOR, person__indexes__digest__in=perpetrators
    )
    return Q(case_id=case.pk) | (Q(Exists(same_victim)) & Q(Exists(same_perpetrator)))


def _unmark_case(case: Case) -> None:
    """The case no longer waits in any series: its "queued" mark goes."""
    still = ConferenceReferral.objects.filter(case=case, status__in=WAITING).exists()
    if not still and case.conference_queued_at is not None:
        case.refresh_from_db(fields=["version", "conference_queued_at"])
        case_touch(case, conference_queued_at=None)


def chairs_of(series: ConferenceSeries) -> list:
    """Who hears of the queue: the series' chair (deputies read the queue page)."""
    return [series.chair] if series.chair.is_active else []


def _record(actor, case: Case, action: str, *, reason: str = "", **data) -> None:
    event_record(
        action=action,
        actor=actor,
        object_type="case",
        object_id=case.pk,
        reason=reason,
        data=data,
    )
