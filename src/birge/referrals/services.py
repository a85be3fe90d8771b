"""The referral lifecycle: draft → sent → accepted or declined (with a reason) → in progress
→ completed; or withdrawn by the referring side at any point before it is done.

Every change is one function here: it checks who acts and from which status, moves the
referral on with a conditional UPDATE on (status, version) — so a stale or repeated action
is refused, never applied twice — and writes its audit event (object "case", data
{"referral": id, …}) and notifications in the same transaction.

Joining the circle on acceptance follows the cases rules (birge.cases.services.case_share):
- the receiving agency is already in the circle: nothing changes;
- a consent of the victim in force covers the agency: it joins on that consent;
- no consent, but the case's risk is high or critical: it joins without consent, on the
  referrer's decision to refer a high-risk case, with a written reason naming the referral
  (the case's coordinators are told, as for any sharing without consent);
- neither: the referral is still accepted (the service can be given), but the agency does
  not join the circle: it keeps seeing the referral only, and the referrer and the case's
  coordinators are told that the victim's consent is needed (then "Share with an agency").
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to, consents_in_force
from birge.agencies.directory import MAX_CAPACITY
from birge.agencies.models import Service
from birge.agencies.protocol import protocol_in_force, response_hours
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases.models import Case, CircleMember, RiskLevel
from birge.cases.services._common import case_coordinators
from birge.cases.services.circle import case_share
from birge.notifications.services import notify
from birge.privacy.fields import encrypted_for_row
from birge.referrals.models import Referral
from birge.referrals.selectors import (
    TRANSITIONS,
    referral_is_receiving_side,
    referral_is_referring_side,
)
from birge.risk.models import RiskAssessment

SUMMARY_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 2000
HIGH_RISK = (RiskLevel.HIGH, RiskLevel.CRITICAL)
Status = Referral.Status


class StaleReferralError(ValidationError):
    def __init__(self):
        super().__init__(
            _("Someone else changed this referral meanwhile. Reload it and try again."),
            code="stale",
        )


# --- Creating and sending -------------------------------------------------------------


def referral_create(*, actor, case: Case, service: Service, summary: str) -> Referral:
    """A draft referral of the case to the agency that offers `service`."""
    if not user_has_capability(actor, "referral.send"):
        raise PermissionDenied
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    _require_open_case(case)
    _check_service(actor, service)
    summary = _clean_summary(summary)
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            from_agency_id=actor.agency_id,
            to_agency_id=service.agency_id,
            service=service,
            summary=summary,
            created_by=actor,
        )
        event_record(
            action="referral.created",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"referral": referral.pk, "service": service.pk, "to_agency": service.agency_id},
        )
    return referral


def referral_refer(
    *, actor, case: Case, service: Service, summary: str, send: bool = True
) -> Referral:
    """Create a referral and (unless `send` is false) send it, in one transaction: the
    form's and the API's one step, which leaves no draft behind when sending fails."""
    with transaction.atomic():
        referral = referral_create(actor=actor, case=case, service=service, summary=summary)
        if send:
            referral_send(actor=actor, referral=referral)
    return referral


def referral_send(*, actor, referral: Referral, version: int | None = None) -> Referral:
    """Send a draft: the protocol in force sets its pathway and due time, and it carries
    the case's latest submitted risk assessment, so that nobody asks her again."""

    case = Case.objects.get(pk=referral.case_id)
    _check_can(actor, referral, "send", version)
    _require_open_case(case)
    _check_service(actor, referral.service)
    now = timezone.now()
    protocol_version, pathway, hours = _promise(service=referral.service, case=case)
    latest = (
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )
    with transaction.atomic():
        _transition(
            referral,
            "send",
            status=Status.SENT,
            sent_at=now,
            protocol_version=protocol_version,
            pathway=pathway,
            due_at=now + timedelta(hours=hours) if hours is not None else None,
            risk_assessment=latest,
        )
        event_record(
            action="referral.sent",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={
                "referral": referral.pk,
                "to_agency": referral.to_agency_id,
                "protocol_version": protocol_version.number if protocol_version else None,
                "pathway": pathway,
                "response_hours": hours,
                "risk_assessment": latest.pk if latest else None,
            },
        )
        notify(
            recipients=users_with_capability("referral.receive", agency_id=referral.to_agency_id),
            kind="referral.received",
            params={"referral": referral.pk, "agency_id": referral.from_agency_id},
            url=_url(referral),
            dedupe_key=f"referral-sent:{referral.pk}",
        )
    return referral


# --- Answering ------------------------------------------------------------------------


def referral_accept(*, actor, referral: Referral, version: int | None = None) -> Referral:
    """Accept a sent referral; the agency joins the circle only on consent or high risk
    (see the module's docstring). Returns the referral; `referral.circle_basis` says how."""
    _check_can(actor, referral, "accept", version)
    with transaction.atomic():
        _transition(
            referral,
            "accept",
            status=Status.ACCEPTED,
            responded_at=timezone.now(),
            responded_by=actor,
        )
        case = Case.objects.select_related("coordinator").get(pk=referral.case_id)
        basis = _join_circle(actor=actor, referral=referral, case=case)
        place_taken = _places_change(referral.service_id, -1)
        event_record(
            action="referral.accepted",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={
                "referral": referral.pk,
                "agency": referral.to_agency_id,
                "circle": basis,
                "place_taken": place_taken,
            },
        )
        _tell_referrer(actor, referral, case, "referral.accepted")
        if basis == "consent_needed":
            _tell_referrer(actor, referral, case, "referral.consent_needed")
    referral.circle_basis = basis
    return referral


def referral_decline(
    *, actor, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """Decline a sent referral, saying why (the referrer reads it and refers elsewhere)."""
    _check_can(actor, referral, "decline", version)
    reason = _clean_reason(reason, _("Write why the referral is declined."))
    with transaction.atomic():
        _transition(
            referral,
            "decline",
            status=Status.DECLINED,
            responded_at=timezone.now(),
            responded_by=actor,
            decline_reason=reason,
        )
        _record(actor, referral, "referral.declined", reason=reason)
        _tell_referrer(actor, referral, referral.case, "referral.declined")
    return referral


def referral_start(*, actor, referral: Referral, version: int | None = None) -> Referral:
    """The receiving agency started the work it accepted."""
    _check_can(actor, referral, "start", version)
    with transaction.atomic():
        _transition(referral, "start", status=Status.IN_PROGRESS, started_at=timezone.now())
        _record(actor, referral, "referral.started")
    return referral


def referral_complete(*, actor, referral: Referral, version: int | None = None) -> Referral:
    """The receiving agency finished the work; the referrer and the coordinators hear."""
    _check_can(actor, referral, "complete", version)
    with transaction.atomic():
        _transition(referral, "complete", status=Status.COMPLETED, completed_at=timezone.now())
        _record(actor, referral, "referral.completed")
        _tell_referrer(actor, referral, referral.case, "referral.completed")
    return referral


def referral_withdraw(
    *, actor, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """The referring side takes the referral back, saying why; a receiving agency that
    had it is told. A withdrawn referral can no longer be changed."""
    _check_can(actor, referral, "withdraw", version)
    reason = _clean_reason(reason, _("Write why the referral is withdrawn."))
    was_sent = referral.sent_at is not None
    held_place = referral.status in (Status.ACCEPTED, Status.IN_PROGRESS)
    with transaction.atomic():
        _transition(referral, "withdraw", status=Status.WITHDRAWN, withdrawn_at=timezone.now())
        if held_place:
            _places_change(referral.service_id, +1)
        _record(actor, referral, "referral.withdrawn", reason=reason)
        if was_sent:
            notify(
                recipients=users_with_capability(
                    "referral.receive", agency_id=referral.to_agency_id
                ),
                kind="referral.withdrawn",
                params={"referral": referral.pk, "agency_id": referral.from_agency_id},
                url=_url(referral),
                dedupe_key=f"referral-withdrawn:{referral.pk}",
            )
    return referral


def referral_view_record(*, user, referral: Referral, channel: str = "page") -> None:
    """Reading a referral reads personal data (her first name, the summary): logged."""
    event_record(
        action="referral.viewed",
        actor=user,
        object_type="case",
        object_id=referral.case_id,
        data={"referral": referral.pk, "channel": channel},
    )


# --- Rules ----------------------------------------------------------------------------


def _places_change(service_id: int, change: int) -> bool:
    """Where a service counts its free places (a shelter), accepting a referral takes one
    and withdrawing an accepted referral gives it back: one conditional UPDATE, never
    below 0 nor above MAX_CAPACITY. A place freed when the stay ends is the shelter's own
    update ("Free places"). True when the count changed."""
    services = Service.objects.filter(pk=service_id, capacity__isnull=False)
    if change < 0:
        services = services.filter(capacity__gte=-change)
    else:
        services = services.filter(capacity__lte=MAX_CAPACITY - change)
    return bool(
        services.update(capacity=F("capacity") + change, capacity_updated_at=timezone.now())
    )


def _check_can(actor, referral: Referral, action: str, version: int | None) -> None:
    """Who may take the action, from which status, on the version she saw."""
    statuses, side = TRANSITIONS[action]
    allowed = (
        referral_is_referring_side(user=actor, referral=referral)
        if side == "referring"
        else referral_is_receiving_side(user=actor, referral=referral)
    )
    if not allowed:
        raise PermissionDenied
    if referral.status not in statuses:
        raise _state_error(referral.status, action)
    if version is not None and version != referral.version:
        raise StaleReferralError


def _transition(referral: Referral, action: str, **changes) -> None:
    """Move the referral on only if nobody moved it since it was read."""
    statuses, _side = TRANSITIONS[action]
    updated = Referral.objects.filter(
        pk=referral.pk, version=referral.version, status__in=statuses
    ).update(version=F("version") + 1, **encrypted_for_row(Referral, pk=referral.pk, **changes))
    if not updated:
        fresh = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
        if fresh not in statuses:
            raise _state_error(fresh, action)
        raise StaleReferralError
    for name, value in changes.items():
        setattr(referral, name, value)
    referral.version += 1


def _state_error(status: str | None, action: str) -> ValidationError:
    """A clear answer for an action the referral's status does not allow."""
    if status == Status.WITHDRAWN:
        message = _("This referral was withdrawn: it can no longer be changed.")
    elif action == "send":
        message = _("This referral has already been sent.")
    elif action in ("accept", "decline") and status == Status.DRAFT:
        message = _("This referral has not been sent yet.")
    elif action in ("accept", "decline") and status == Status.DECLINED:
        message = _("This referral has already been declined.")
    elif action in ("accept", "decline"):
        message = _("This referral has already been accepted.")
    elif status == Status.COMPLETED:
        message = _("This referral is already completed.")
    elif status == Status.DECLINED:
        message = _("This referral was declined.")
    elif action == "start":
        message = _("Only an accepted referral can be started.")
    else:
        message = _("Only a referral in progress can be completed.")
    return ValidationError(message, code="state")


def _require_open_case(case: Case) -> None:
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("Referrals are made from an open case."), code="closed")


def _check_service(actor, service: Service | None) -> None:
    if service is None:
        raise ValidationError({"service": _("Choose a service.")})
    if not service.is_active or not service.agency.is_active:
        raise ValidationError({"service": _("This service is not offered any more.")})
    if service.agency_id == actor.agency_id:
        raise ValidationError(
            {"service": _("Refer to another agency: your own agency's services need no referral.")}
        )


def _clean_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Write what she needs, so that the receiving agency need not ask her.")}
        )
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError(
            {
                "summary": _("Keep the summary within %(max)d characters (it has %(n)d).")
                % {"max": SUMMARY_MAX_LENGTH, "n": len(summary)}
            }
        )
    return summary


def _clean_reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason within %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _promise(*, service: Service, case: Case):
    """(protocol version in force, pathway id, promised hours) for this service's kind at
    the case's risk level; (None, "", None) when no protocol is in force."""

    version = protocol_in_force()
    if version is None:
        return None, "", None
    hours = response_hours(version=version, service_kind=service.kind, risk_level=case.risk_level)
    if hours is None or hours < 0:
        return version, "", None
    return version, _pathway_id(version.content, service.kind, case.risk_level, hours), hours


def _pathway_id(content: dict, kind: str, risk_level: str, hours: int) -> str:
    """The id of the pathway whose promise gave `hours` (the first applicable one; the
    most demanding threshold the case reaches wins a tie)."""
    rank = {level: index for index, level in enumerate(RiskLevel.values)}
    reached = rank.get(risk_level, -1)
    candidates = [
        p
        for p in (content or {}).get("pathways", [])
        if isinstance(p, dict)
        and p.get("service_kind") == kind
        and p.get("response_hours") == hours
        and rank.get(p.get("min_risk") or "", -1) <= reached
    ]
    candidates.sort(key=lambda p: -rank.get(p.get("min_risk") or "", -1))
    return str(candidates[0].get("id", ""))[:60] if candidates else ""


def _join_circle(*, actor, referral: Referral, case: Case) -> str:
    """How the receiving agency stands in the circle after acceptance (see the module)."""

    agency = referral.to_agency
    if CircleMember.objects.filter(case=case, agency=agency, removed_at__isnull=True).exists():
        return "already"
    if consents_in_force(case=case, scope="case_record", agency_id=agency.pk).exists():
        case_share(actor=actor, case=case, agency=agency, route=CircleMember.Route.REFERRAL)
        return "consent"
    if case.risk_level in HIGH_RISK:
        reason = (
            f"Referral {referral.pk} ({referral.service.kind}) accepted at "
            f"{case.risk_level} risk; no consent of the victim covers this agency."
        )
        case_share(
            actor=actor,
            case=case,
            agency=agency,
            route=CircleMember.Route.REFERRAL,
            reason=reason,
        )
        return "high_risk"
    return "consent_needed"


def _record(actor, referral: Referral, action: str, *, reason: str = "") -> None:
    event_record(
        action=action,
        actor=actor,
        object_type="case",
        object_id=referral.case_id,
        reason=reason,
        data={"referral": referral.pk},
    )


def _tell_referrer(actor, referral: Referral, case: Case, kind: str) -> None:
    """The person who referred and the case's coordinators hear of an answer."""
    recipients = [referral.created_by, *case_coordinators(case)]
    notify(
        recipients=[u for u in recipients if u.is_active and u.pk != actor.pk],
        kind=kind,
        params={"reference": case.reference, "agency_id": referral.to_agency_id},
        url=_url(referral),
        dedupe_key=f"{kind}:{referral.pk}",
    )


def _url(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/"
