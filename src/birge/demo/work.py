"""Work that waits on the demo's home pages ("My work"), made through Birge's own services
so that it is recorded, notified and audited like real work: a referral that the shelter
must answer, and an emergency access that an auditor must review. Safe to run again:
each is made only while nothing of its kind waits."""

from django.core.exceptions import PermissionDenied, ValidationError

from birge.access.cases import cases_visible_to
from birge.agencies.models import Service, User
from birge.cases.models import Case, EmergencyAccess
from birge.cases.services.emergency import emergency_access_end, emergency_access_start
from birge.demo.data import in_demo_language
from birge.referrals.models import Referral
from birge.referrals.services import referral_refer

REFERRAL_SUMMARY = (
    "Qadın və iki uşağı üçün bu gecə təhlükəsiz yer lazımdır; polis onları sığınacağa "
    "apara bilər (sintetik).",
    "Женщине и двум детям нужно безопасное место на эту ночь; полиция может отвезти их "
    "в приют (синтетические данные).",
    "She and her two children need a safe place tonight; the police can bring them to "
    "the shelter (synthetic).",
)
EMERGENCY_REASON = (
    "Gecə növbəsi: qadın Gəncədə qohumlarının yanındadır, əvvəlki risk məlumatları lazımdır.",
    "Ночная смена: женщина у родственников в Гяндже, нужны прежние сведения о рисках.",
    "Night shift: she is staying with relatives in Ganja and we need the earlier risk information.",
)


def work_load() -> list[str]:
    """What was added, in words for the demo command's output."""
    added = []
    if _referral_for_the_shelter():
        added.append("a referral for `shelter` to answer")
    if _emergency_access_to_review():
        added.append("an emergency access for `auditor` to review")
    return added


def _referral_for_the_shelter() -> bool:
    officer = User.objects.filter(username="officer").first()
    service = (
        Service.objects.filter(agency__code="shelter-baku", is_active=True).order_by("id").first()
    )
    if officer is None or service is None:
        return False
    if Referral.objects.filter(to_agency=service.agency, status=Referral.Status.SENT).exists():
        return False
    case = (
        cases_visible_to(officer)
        .filter(status=Case.Status.OPEN, owning_agency_id=officer.agency_id)
        .order_by("-id")
        .first()
    )
    if case is None:
        return False
    try:
        referral_refer(
            actor=officer, case=case, service=service, summary=in_demo_language(REFERRAL_SUMMARY)
        )
    except (PermissionDenied, ValidationError):
        return False
    return True


def _emergency_access_to_review() -> bool:
    # A case coordinator of the legal-aid centre in Ganja, outside the case's circle.
    coordinator = User.objects.filter(username="legal").first()
    if coordinator is None or EmergencyAccess.objects.filter(reviewed_at__isnull=True).exists():
        return False
    case = (
        Case.objects.filter(status=Case.Status.OPEN, owning_agency__code="police-baku")
        .exclude(pk__in=cases_visible_to(coordinator).values("pk"))
        .order_by("-id")
        .first()
    )
    if case is None:
        return False
    try:
        grant = emergency_access_start(
            user=coordinator, reference=case.reference, reason=in_demo_language(EMERGENCY_REASON)
        )
        emergency_access_end(user=coordinator, grant=grant)
    except (PermissionDenied, ValidationError):
        return False
    return True
