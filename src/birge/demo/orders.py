"""Protection orders in the demo, made through Birge's own services: on a high-risk Baku
case the local executive authority issues a short-term order, serves it, the police record
a breach (the case enters the risk conference's queue as "breach"), and the court issues a
long-term order after it. Safe to run again: made only while the demo has no order."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.agencies.models import User
from birge.cases.models import Case, CircleMember, Part
from birge.cases.services import case_share
from birge.demo.data import in_demo_language
from birge.justice.models import ProtectionOrder
from birge.justice.services import orders as services

SHARE_REASON = (
    "Mühafizə orderi üçün müraciət: risk yüksəkdir (sintetik).",
    "Заявление об охранном ордере: риск высокий (синтетические данные).",
    "An application for a protection order: the risk is high (synthetic).",
)
PLACES = (
    "Onun iş yeri və uşaqların məktəbi (sintetik)",
    "Её место работы и школа детей (синтетические данные)",
    "Her workplace and the children's school (synthetic)",
)
BREACH = (
    "O, order qüvvədə olarkən onun iş yerinə gəldi və hədələdi (sintetik).",
    "Он пришёл к ней на работу и угрожал, пока ордер действовал (синтетические данные).",
    "He came to her workplace and threatened her while the order was in force (synthetic).",
)


def orders_load() -> list[str]:
    """What was added, in words for the demo command's output."""
    users = {
        u.username: u for u in User.objects.filter(username__in=["officer", "executive", "judge"])
    }
    if len(users) < 3 or ProtectionOrder.objects.exists():
        return []
    case = _case(users["officer"])
    if case is None:
        return []
    try:
        with transaction.atomic():
            _orders(
                case, officer=users["officer"], executive=users["executive"], judge=users["judge"]
            )
    except (PermissionDenied, ValidationError):
        return []
    return [
        f"protection orders on case {case.reference}: a short-term order by `executive`, "
        'served and breached (the case waits for the conference as "breach"), and a '
        "long-term order by `judge`"
    ]


def _case(officer: User) -> Case | None:
    return (
        cases_visible_to(officer)
        .filter(
            status=Case.Status.OPEN,
            owning_agency_id=officer.agency_id,
            risk_level__in=["high", "critical"],
            sealed=False,
            participants__part=Part.PERPETRATOR,
        )
        # One the conference does not already wait for: it is queued by the breach.
        .exclude(conference_referrals__status__in=["queued", "listed"])
        .order_by("-id")
        .first()
    )


def _orders(case: Case, *, officer: User, executive: User, judge: User) -> None:
    for agency_id in (executive.agency_id, judge.agency_id):
        if not CircleMember.objects.filter(
            case=case, agency_id=agency_id, removed_at__isnull=True
        ).exists():
            case_share(
                actor=officer,
                case=case,
                agency=type(executive.agency).objects.get(pk=agency_id),
                reason=in_demo_language(SHARE_REASON),
            )
    today = timezone.localdate()
    perpetrator = case.participants.filter(part=Part.PERPETRATOR).first().person
    short = services.order_apply(
        actor=executive,
        case=case,
        perpetrator=perpetrator,
        order_type="short_term",
        issuing_agency=executive.agency,
        applicant="police",
        applied_on=today - timedelta(days=6),
    )
    services.order_issue(
        actor=executive,
        order=short,
        issued_on=today - timedelta(days=5),
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=24),
        conditions=["no_contact", "keep_away"],
        places=in_demo_language(PLACES),
    )
    services.order_serve(actor=executive, order=short, served_at=timezone.now() - timedelta(days=4))
    services.order_breach_record(
        actor=officer,
        order=short,
        incident={
            "occurred_on": today - timedelta(days=1),
            "forms": ["psychological"],
            "weapon": "none",
            "narrative": in_demo_language(BREACH),
        },
    )
    long = services.order_apply(
        actor=executive,
        case=case,
        perpetrator=perpetrator,
        order_type="long_term",
        issuing_agency=judge.agency,
        applicant="executive_authority",
        applied_on=today,
        follows=short,
    )
    services.order_issue(
        actor=judge,
        order=long,
        issued_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=179),
        conditions=["no_contact", "keep_away", "attend_programme"],
        places=in_demo_language(PLACES),
    )
