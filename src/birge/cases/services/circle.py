"""Consent, sharing with other agencies, and sealing: who is in a case's circle."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import case_is_coordinating, case_share_allowed, consents_in_force
from birge.access.predicates import grants_changed
from birge.audit.services import event_record
from birge.cases.models import Case, CircleMember, Consent, RiskLevel, SealedAccess
from birge.cases.services._common import case_coordinators, case_touch
from birge.cases.validation import validate_consent_dates
from birge.notifications.services import notify

HIGH_RISK = (RiskLevel.HIGH, RiskLevel.CRITICAL)


def _require_coordination(actor, case: Case) -> None:
    if not case_is_coordinating(user=actor, case=case):
        raise PermissionDenied


def consent_record(
    *,
    actor,
    case: Case,
    agencies,
    given_on: date,
    valid_until: date,
    share_case_record: bool = True,
    share_contact: bool = False,
    share_location: bool = False,
    share_health: bool = False,
) -> Consent:
    """Record what the victim agreed may be shared, with which agencies, until when."""
    validate_consent_dates(given_on, valid_until)
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            given_on=given_on,
            valid_until=valid_until,
            share_case_record=share_case_record,
            share_contact=share_contact,
            share_location=share_location,
            share_health=share_health,
            recorded_by=actor,
        )
        consent.agencies.set(agencies)
        case_touch(case)
        event_record(
            action="case.consent_recorded",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={
                "consent": consent.pk,
                "agencies": sorted(a.pk for a in agencies),
                "scopes": [s for s in Consent.SCOPES if getattr(consent, f"share_{s}")],
                "valid_until": valid_until.isoformat(),
            },
        )
    return consent


def consent_withdraw(*, actor, case: Case, consent: Consent) -> Consent:
    """The victim withdrew consent. Agencies that joined on it only leave the circle."""
    if consent.case_id != case.pk or consent.withdrawn_at:
        raise ValidationError(_("This consent has already been withdrawn."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        left = CircleMember.objects.filter(
            case=case, consent=consent, removed_at__isnull=True
        ).update(removed_at=consent.withdrawn_at)
        case_touch(case)
        event_record(
            action="case.consent_withdrawn",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"consent": consent.pk, "agencies_left": left},
        )
    return consent


def case_share(
    *, actor, case: Case, agency, route: str = CircleMember.Route.SHARE, reason: str = ""
) -> CircleMember:
    """Add an agency to the circle on a legal basis: consent that covers it, or, without
    consent, high risk and a written reason (logged, and shown to the coordinator).

    A risk conference that discussed the case (route `conference`) adds its attending
    agencies on the conference's own legal basis, written in `reason`, at any risk level;
    consent, where there is one, is still the basis recorded. The conference tells the
    coordinators once for all the agencies it added (birge.conferences)."""
    if route == CircleMember.Route.SHARE and not case_share_allowed(user=actor, case=case):
        raise PermissionDenied
    if CircleMember.objects.filter(case=case, agency=agency, removed_at__isnull=True).exists():
        raise ValidationError({"agency": _("This agency is already in the case's circle.")})
    consent = consents_in_force(case=case, scope="case_record", agency_id=agency.pk).first()
    reason = (reason or "").strip()
    conference = route == CircleMember.Route.CONFERENCE
    if consent is None:
        if case.risk_level not in HIGH_RISK and not conference:
            raise ValidationError(
                {
                    "agency": _(
                        "No consent of the victim covers this agency, and the risk is not high."
                    )
                }
            )
        if len(reason) < 10:
            raise ValidationError(
                {
                    "reason": _(
                        "Without consent, write why sharing is needed (at least 10 characters)."
                    )
                }
            )
    with transaction.atomic():
        member = CircleMember.objects.create(
            case=case,
            agency=agency,
            route=route,
            basis=_basis(consent=consent, conference=conference),
            consent=consent,
            reason=reason,
            added_by=actor,
        )
        case_touch(case)
        event_record(
            action=(
                "case.shared"
                if consent
                else "case.shared_for_conference"
                if conference
                else "case.shared_without_consent"
            ),
            actor=actor,
            object_type="case",
            object_id=case.pk,
            reason=reason,
            data={"agency": agency.pk, "route": route, "consent": consent.pk if consent else None},
        )
        coordinators = [u for u in case_coordinators(case) if u.pk != actor.pk]
        if consent is None and not conference and coordinators:
            notify(
                recipients=coordinators,
                kind="case.shared_without_consent",
                params={"reference": case.reference, "agency_id": agency.pk},
                url=f"/cases/{case.pk}/",
                dedupe_key=f"shared-nc:{member.pk}",
            )
    return member


def _basis(*, consent, conference: bool) -> str:
    if consent is not None:
        return CircleMember.Basis.CONSENT
    return CircleMember.Basis.CONFERENCE if conference else CircleMember.Basis.HIGH_RISK


def case_unshare(*, actor, case: Case, member: CircleMember, reason: str) -> None:
    _require_coordination(actor, case)
    if member.route == CircleMember.Route.OWNER:
        raise ValidationError(_("The agency that opened the case stays in its circle."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the agency leaves the circle.")})
    with transaction.atomic():
        member.removed_at = timezone.now()
        member.save(update_fields=["removed_at"])
        case_touch(case)
        event_record(
            action="case.unshared",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            reason=reason,
            data={"agency": member.agency_id},
        )


def case_seal(*, actor, case: Case, reason: str, users) -> None:
    """Only the named users (and the coordinator) see a sealed case."""
    _require_coordination(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the case is sealed.")})
    named = {u.pk: u for u in users}
    named[actor.pk] = actor
    if case.coordinator_id:
        named[case.coordinator_id] = case.coordinator
    with transaction.atomic():
        SealedAccess.objects.filter(case=case).delete()
        SealedAccess.objects.bulk_create(
            SealedAccess(case=case, user=u, granted_by=actor) for u in named.values()
        )
        grants_changed(SealedAccess)  # bulk_create sends no post_save
        case_touch(case, expected_version=case.version, sealed=True, sealed_reason=reason)
        event_record(
            action="case.sealed",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            reason=reason,
            data={"users": sorted(named)},
        )


def case_unseal(*, actor, case: Case, reason: str) -> None:
    _require_coordination(actor, case)
    with transaction.atomic():
        case_touch(case, expected_version=case.version, sealed=False, sealed_reason="")
        event_record(
            action="case.unsealed",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            reason=reason,
        )
