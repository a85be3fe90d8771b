"""A protection order's life: applied → refused, or issued → served (in force) → extended,
varied, revoked, or expired; and breaches of it.

Who may do what:
- apply: a professional with `justice.record` who may write to the case, to an issuing
  agency of a kind the order's type allows (`birge.justice.order_types`);
- refuse, issue, extend, vary, revoke: a user of the issuing agency itself, with
  `justice.record`, while its kind is one the type allows;
- serve: any professional with `justice.record` in the case's circle (the police, mostly);
- record a breach: whoever may record an incident on the case (`case.edit`); the breach is
  the incident, typed once, plus the order. It escalates the case like any new incident
  and as a breach (`order_breach`), queues it for the risk conference under the criterion
  "breach", and tells the issuing agency when it is in the circle.

Each step is one transaction with its audit event (object "case", data with the order's
id and codes only). A step that changes the order's own fields carries the version the
user read and is refused as stale when someone changed it since (one helper,
`update_versioned`).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import cases_visible_to
from birge.agencies.models import Agency
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases.models import Case, CasePerson, CircleMember, Part, Person
from birge.cases.services import incident_record
from birge.cases.services._common import case_coordinators
from birge.cases.services.lifecycle import case_escalate
from birge.conferences.models import ConferenceReferral
from birge.conferences.services import conference_queue
from birge.conferences.services._common import clean_text, update_versioned
from birge.justice.models import OrderBreach, OrderEvent, ProtectionOrder
from birge.justice.order_types import OrderType, days_in_force, order_types
from birge.notifications.services import notify

Status = ProtectionOrder.Status
Kind = OrderEvent.Kind
LIVE = (Status.ISSUED, Status.IN_FORCE)
KEEP_AWAY = "keep_away"


# --- Applying, refusing, issuing -------------------------------------------------------


def order_apply(
    *,
    actor,
    case: Case,
    perpetrator: Person,
    order_type: str,
    issuing_agency: Agency,
    applicant: str,
    applied_on: date,
    follows: ProtectionOrder | None = None,
) -> ProtectionOrder:
    """Record an application for an order to the agency that may issue it."""
    _require_recorder(actor, case)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("Protection orders are recorded on an open case."), code="closed")
    kind = _type(order_type)
    _check_issuer_kind(kind, issuing_agency, field="issuing_agency")
    if applicant and applicant not in kind.applicants:
        raise ValidationError(
            {"applicant": _("This kind of order cannot be applied for by this applicant.")}
        )
    if not CasePerson.objects.filter(case=case, person=perpetrator, part=Part.PERPETRATOR).exists():
        raise ValidationError({"perpetrator": _("Choose a perpetrator of this case.")})
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("The date cannot be in the future.")})
    if follows is not None and (
        follows.case_id != case.pk or follows.perpetrator_id != perpetrator.pk
    ):
        raise ValidationError(
            {"follows": _("The order it follows must be of this case and this perpetrator.")}
        )
    with transaction.atomic():
        order = ProtectionOrder.objects.create(
            case=case,
            perpetrator=perpetrator,
            order_type=kind.code,
            applicant=applicant,
            applied_on=applied_on,
            issuing_agency=issuing_agency,
            follows=follows,
            recorded_by=actor,
        )
        _event(order, Kind.APPLIED, actor, on=applied_on)
        _record(actor, order, "justice.order_applied", issuing_agency=issuing_agency.pk)
        if issuing_agency.pk != actor.agency_id and _in_circle(order, issuing_agency.pk):
            notify(
                recipients=users_with_capability("justice.record", agency_id=issuing_agency.pk),
                kind="order.applied",
                params={"reference": case.reference, "order": order.pk},
                url=order_url(order),
                dedupe_key=f"order-applied:{order.pk}",
            )
    return order


def order_refuse(
    *, actor, order: ProtectionOrder, note: str, version: int | None = None
) -> ProtectionOrder:
    """The issuing authority refuses the application, saying why."""
    _require_issuer(actor, order)
    _require_status(order, (Status.APPLIED,), _("Only an application can be refused."))
    note = clean_text(note, "note", _("Write why the order is refused."))
    with transaction.atomic():
        update_versioned(order, version=version, statuses=[Status.APPLIED], status=Status.REFUSED)
        _event(order, Kind.REFUSED, actor, note=note)
        _record(actor, order, "justice.order_refused")
        _tell_coordinators(actor, order, "order.refused")
    return order


def order_issue(
    *,
    actor,
    order: ProtectionOrder,
    issued_on: date,
    starts_on: date,
    ends_on: date,
    conditions: list[str],
    places: str = "",
    version: int | None = None,
) -> ProtectionOrder:
    """The issuing authority issues the order: its dates within the type's bounds, its
    conditions among the type's."""
    kind = _require_issuer(actor, order)
    _require_status(order, (Status.APPLIED,), _("This order has already been decided."))
    today = timezone.localdate()
    if issued_on > today:
        raise ValidationError({"issued_on": _("The date cannot be in the future.")})
    if starts_on < issued_on:
        raise ValidationError(
            {"starts_on": _("An order cannot be in force before the day it was issued.")}
        )
    _check_duration(kind, starts_on, ends_on)
    conditions, places = _check_conditions(kind, conditions, places)
    with transaction.atomic():
        update_versioned(
            order,
            version=version,
            statuses=[Status.APPLIED],
            status=Status.ISSUED,
            issued_on=issued_on,
            issued_by=actor,
            starts_on=starts_on,
            ends_on=ends_on,
            conditions=conditions,
            places=places,
        )
        _event(order, Kind.ISSUED, actor, on=issued_on, ends_on=ends_on, conditions=conditions)
        _record(actor, order, "justice.order_issued", days=days_in_force(starts_on, ends_on))
        _tell_coordinators(actor, order, "order.issued")
    return order


# --- Serving, extending, varying, revoking ---------------------------------------------


def order_serve(
    *, actor, order: ProtectionOrder, served_at: datetime, version: int | None = None
) -> ProtectionOrder:
    """The order was served on the perpetrator (when, by whom): from then it is in force."""
    _require_recorder(actor, order.case)
    _require_status(
        order, (Status.ISSUED,), _("Only an issued order not yet served can be served.")
    )
    if served_at > timezone.now():
        raise ValidationError({"served_at": _("The time cannot be in the future.")})
    if order.issued_on and timezone.localdate(served_at) < order.issued_on:
        raise ValidationError(
            {"served_at": _("An order cannot be served before the day it was issued.")}
        )
    with transaction.atomic():
        update_versioned(
            order,
            version=version,
            statuses=[Status.ISSUED],
            status=Status.IN_FORCE,
            served_at=served_at,
            served_by=actor,
        )
        _event(order, Kind.SERVED, actor, on=timezone.localdate(served_at))
        _record(actor, order, "justice.order_served")
        _tell_coordinators(actor, order, "order.served")
    return order


def order_extend(
    *, actor, order: ProtectionOrder, ends_on: date, note: str = "", version: int | None = None
) -> ProtectionOrder:
    """The issuing authority extends the order, within the type's longest duration."""
    kind = _require_issuer(actor, order)
    _require_status(order, LIVE, _("Only an order in force can be extended."))
    if order.ends_on is None or order.starts_on is None or ends_on <= order.ends_on:
        raise ValidationError({"ends_on": _("Choose a day after the order's current end.")})
    _check_duration(kind, order.starts_on, ends_on)
    note = clean_text(note, "note", "", required=False)
    with transaction.atomic():
        update_versioned(order, version=version, statuses=list(LIVE), ends_on=ends_on)
        _event(order, Kind.EXTENDED, actor, ends_on=ends_on, conditions=order.conditions, note=note)
        _record(
            actor, order, "justice.order_extended", days=days_in_force(order.starts_on, ends_on)
        )
        _tell_coordinators(actor, order, "order.extended")
    return order


def order_vary(
    *,
    actor,
    order: ProtectionOrder,
    conditions: list[str],
    places: str = "",
    note: str = "",
    version: int | None = None,
) -> ProtectionOrder:
    """The issuing authority changes the order's conditions (or the places)."""
    kind = _require_issuer(actor, order)
    _require_status(order, LIVE, _("Only an order in force can be varied."))
    conditions, places = _check_conditions(kind, conditions, places)
    note = clean_text(note, "note", "", required=False)
    with transaction.atomic():
        update_versioned(
            order, version=version, statuses=list(LIVE), conditions=conditions, places=places
        )
        _event(order, Kind.VARIED, actor, ends_on=order.ends_on, conditions=conditions, note=note)
        _record(actor, order, "justice.order_varied", conditions=conditions)
        _tell_coordinators(actor, order, "order.varied")
    return order


def order_revoke(
    *, actor, order: ProtectionOrder, note: str, version: int | None = None
) -> ProtectionOrder:
    """The issuing authority revokes the order, saying why."""
    _require_issuer(actor, order)
    _require_status(order, LIVE, _("Only an order in force can be revoked."))
    note = clean_text(note, "note", _("Write why the order is revoked."))
    with transaction.atomic():
        update_versioned(order, version=version, statuses=list(LIVE), status=Status.REVOKED)
        _event(order, Kind.REVOKED, actor, note=note)
        _record(actor, order, "justice.order_revoked")
        _tell_coordinators(actor, order, "order.revoked")
    return order


def order_view_record(*, user, order: ProtectionOrder, channel: str = "page") -> None:
    """Reading an order reads personal data (the places): logged."""
    event_record(
        action="justice.order_viewed",
        actor=user,
        object_type="case",
        object_id=order.case_id,
        data={"order": order.pk, "channel": channel},
    )


# --- Jobs: expiry and the reminder before it -------------------------------------------


def order_expire(*, order: ProtectionOrder, today: date) -> bool:
    """An order past its last day is expired (the job, on a claimed row). True if it was."""
    if order.status not in LIVE or order.ends_on is None or order.ends_on >= today:
        return False
    update_versioned(order, statuses=list(LIVE), status=Status.EXPIRED)
    _event(order, Kind.EXPIRED, None, on=order.ends_on + timedelta(days=1))
    _record(None, order, "justice.order_expired")
    return True


def order_remind_expiry(*, order: ProtectionOrder, now: datetime) -> bool:
    """Tell the victim's coordinator that the order ends soon (once per order), asking
    whether she needs a long-term order. True when the reminder went out now."""
    if order.expiry_reminded_at is not None or order.status not in LIVE:
        return False
    # Not an edit of the order's terms: its version (and anyone's open form) stays.
    claimed = ProtectionOrder.objects.filter(pk=order.pk, expiry_reminded_at__isnull=True).update(
        expiry_reminded_at=now
    )
    if not claimed:
        return False
    order.expiry_reminded_at = now
    kind = order_types().get(order.order_type)
    short = kind is None or kind.is_short_term
    case = Case.objects.select_related("coordinator").get(pk=order.case_id)
    notify(
        recipients=case_coordinators(case),
        kind="order.expiring_short" if short else "order.expiring",
        params={
            "reference": case.reference,
            "order": order.pk,
            "ends_on": order.ends_on.isoformat() if order.ends_on else "",
        },
        url=order_url(order),
        dedupe_key=f"order-expiring:{order.pk}",
    )
    _record(None, order, "justice.order_expiry_reminded")
    return True


def reminder_horizon(today: date) -> date:
    """Orders ending on or before this day are reminded of."""
    return today + timedelta(days=settings.BIRGE_ORDER_REMINDER_DAYS)


# --- Breaches ---------------------------------------------------------------------------


def order_breach_record(*, actor, order: ProtectionOrder, incident: dict) -> OrderBreach:
    """A breach: the incident on the case (typed once), linked to the order; the case is
    escalated as for any new incident and as a breach, queued for the risk conference,
    and the issuing authority is told when it is in the circle."""
    if not user_has_capability(actor, "case.edit"):
        raise PermissionDenied
    case = Case.objects.select_related("coordinator").get(pk=order.case_id)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    _require_status(
        order, (Status.IN_FORCE,), _("Only an order served and in force can be breached.")
    )
    occurred_on = incident.get("occurred_on")
    if occurred_on is None or (
        order.served_at and occurred_on < timezone.localdate(order.served_at)
    ):
        raise ValidationError(
            {"occurred_on": _("A breach happens after the order was served on him.")}
        )
    if order.ends_on and occurred_on > order.ends_on:
        raise ValidationError({"occurred_on": _("The order was no longer in force on that day.")})
    with transaction.atomic():
        recorded = incident_record(actor=actor, case=case, data=incident)
        breach = OrderBreach.objects.create(order=order, incident=recorded, recorded_by=actor)
        _event(order, Kind.BREACHED, actor, on=occurred_on)
        _record(actor, order, "justice.order_breached", breach=breach.pk, incident=recorded.pk)
        case_escalate(case=case, trigger="order_breach", actor=actor)
        conference_queue(case=case, criterion=ConferenceReferral.Criterion.BREACH, actor=actor)
        if _in_circle(order, order.issuing_agency_id):
            notify(
                recipients=[
                    u
                    for u in users_with_capability(
                        "justice.record", agency_id=order.issuing_agency_id
                    )
                    if u.pk != actor.pk
                ],
                kind="order.breached",
                params={"reference": case.reference, "order": order.pk},
                url=order_url(order),
                dedupe_key=f"order-breached:{breach.pk}",
            )
    return breach


def breach_sanction(
    *, actor, breach: OrderBreach, sanction: str, sanctioned_on: date | None
) -> OrderBreach:
    """What the authorities did about a breach."""
    _require_recorder(actor, breach.order.case)
    if sanction not in OrderBreach.Sanction.values:
        raise ValidationError({"sanction": _("Choose a sanction.")})
    if sanction == OrderBreach.Sanction.PENDING:
        sanctioned_on = None
    elif sanctioned_on is None:
        raise ValidationError({"sanctioned_on": _("Give the day of the sanction.")})
    elif sanctioned_on > timezone.localdate():
        raise ValidationError({"sanctioned_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        breach.sanction, breach.sanctioned_on = sanction, sanctioned_on
        breach.save(update_fields=["sanction", "sanctioned_on"])
        _record(
            actor, breach.order, "justice.breach_sanctioned", breach=breach.pk, sanction=sanction
        )
    return breach


# --- Rules ----------------------------------------------------------------------------


def _type(code: str) -> OrderType:
    kind = order_types().get(code)
    if kind is None:
        raise ValidationError({"order_type": _("Choose a type of order.")})
    return kind


def _kind_names(kind: OrderType) -> str:
    names = dict(Agency.Kind.choices)
    return ", ".join(str(names.get(k, k)) for k in kind.issuing_agency_kinds)


def _check_issuer_kind(kind: OrderType, agency: Agency, *, field: str) -> None:
    if agency.kind not in kind.issuing_agency_kinds:
        raise ValidationError(
            {
                field: _("%(type)s: issued only by %(kinds)s.")
                % {"type": kind.name, "kinds": _kind_names(kind)}
            }
        )


def _require_recorder(actor, case: Case) -> None:
    if not user_has_capability(actor, "justice.record"):
        raise PermissionDenied
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied


def _require_issuer(actor, order: ProtectionOrder) -> OrderType:
    """Only the issuing agency's own people decide, while its kind may issue the type."""
    _require_recorder(actor, order.case)
    if actor.agency_id != order.issuing_agency_id:
        raise PermissionDenied
    kind = _type(order.order_type)
    _check_issuer_kind(kind, actor.agency, field="issuing_agency")
    return kind


def _require_status(order: ProtectionOrder, statuses, message: str) -> None:
    if order.status not in statuses:
        raise ValidationError(message, code="state")


def _check_duration(kind: OrderType, starts_on: date, ends_on: date) -> None:
    """The order's days within the type's bounds, said in her language."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    days = days_in_force(starts_on, ends_on)
    if days > kind.max_days:
        raise ValidationError(
            {
                "ends_on": _(
                    "%(type)s: at most %(max)d days. These dates make %(days)d; the last "
                    "day can be %(last)s at the latest."
                )
                % {
                    "type": kind.name,
                    "max": kind.max_days,
                    "days": days,
                    "last": (starts_on + timedelta(days=kind.max_days - 1)).isoformat(),
                }
            }
        )
    if days < kind.min_days:
        raise ValidationError(
            {
                "ends_on": _(
                    "%(type)s: at least %(min)d days. These dates make %(days)d; the last "
                    "day must be %(first)s or later."
                )
                % {
                    "type": kind.name,
                    "min": kind.min_days,
                    "days": days,
                    "first": (starts_on + timedelta(days=kind.min_days - 1)).isoformat(),
                }
            }
        )


def _check_conditions(kind: OrderType, conditions: list[str], places: str) -> tuple[list, str]:
    conditions = sorted(set(conditions or []))
    if not conditions:
        raise ValidationError({"conditions": _("Choose at least one condition.")})
    if set(conditions) - set(kind.conditions):
        raise ValidationError(
            {"conditions": _("This kind of order cannot impose one of these conditions.")}
        )
    if KEEP_AWAY in conditions:
        places = clean_text(places, "places", _("Name the places he must keep away from."))
    else:
        places = ""
    return conditions, places


def _in_circle(order: ProtectionOrder, agency_id: int) -> bool:
    return CircleMember.objects.filter(
        case_id=order.case_id, agency_id=agency_id, removed_at__isnull=True
    ).exists()


def _event(order: ProtectionOrder, kind: str, actor, *, on: date | None = None, **fields) -> None:
    OrderEvent.objects.create(
        order=order,
        kind=kind,
        on=on or timezone.localdate(),
        by=actor,
        agency_id=actor.agency_id if actor is not None else None,
        **fields,
    )


def _record(actor, order: ProtectionOrder, action: str, **data) -> None:
    event_record(
        action=action,
        actor=actor,
        object_type="case",
        object_id=order.case_id,
        data={"order": order.pk, "type": order.order_type, **data},
    )


def _tell_coordinators(actor, order: ProtectionOrder, kind: str) -> None:
    case = Case.objects.select_related("coordinator").get(pk=order.case_id)
    notify(
        recipients=[u for u in case_coordinators(case) if actor is None or u.pk != actor.pk],
        kind=kind,
        params={"reference": case.reference, "order": order.pk},
        url=order_url(order),
        dedupe_key=f"{kind}:{order.pk}:{order.version}",
    )


def order_url(order: ProtectionOrder) -> str:
    return f"/justice/orders/{order.pk}/"
