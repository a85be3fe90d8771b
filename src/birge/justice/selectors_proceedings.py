"""Reads of proceedings and programme referrals, always through the case's access rule
(`birge.access.cases.case_visible`) and, for a proceeding's details, the one rule of
`birge.access.justice`."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, CharField, DateField, F, IntegerField, QuerySet, Value
from django.http import Http404

from birge.access.cases import case_visible
from birge.access.justice import proceeding_details_visible
from birge.access.trail import access_denied_record
from birge.agencies.models import Agency, Service, ServiceKind, User
from birge.cases.models import Case, CasePerson, Incident, Part
from birge.justice.models import Proceeding, ProceedingStage, ProgrammeReferral

STAGE_ORDER = list(Proceeding.Stage.values)


def stage_rank(stage: str) -> int:
    return STAGE_ORDER.index(stage)


@dataclass
class ProceedingView:
    """A proceeding as one reader may see it: `details` False leaves only the kind, the
    stage and the outcome's category (and `stages` empty)."""

    proceeding: Proceeding
    details: bool
    stages: list[ProceedingStage] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.proceeding.pk

    @property
    def closed(self) -> bool:
        return self.proceeding.stage == Proceeding.Stage.OUTCOME


def _with_details(
    *, user: User, case: Case, proceedings: list[Proceeding], stages: bool
) -> list[ProceedingView]:
    views = [
        ProceedingView(
            p, proceeding_details_visible(user=user, case=case, holding_agency_id=p.agency_id)
        )
        for p in proceedings
    ]
    shown = [v.pk for v in views if v.details]
    if stages and shown:
        by_proceeding: dict[int, list[ProceedingStage]] = {}
        for stage in ProceedingStage.objects.filter(proceeding_id__in=shown).select_related(
            "agency", "recorded_by"
        ):
            by_proceeding.setdefault(stage.proceeding_id, []).append(stage)
        for view in views:
            view.stages = by_proceeding.get(view.pk, [])
    return views


def proceedings_of_case(
    *, user: User, case: Case, stages: bool = False, limit: int = 100
) -> list[ProceedingView]:
    """The case's proceedings, newest first, as she may see them: one query, one or two
    more for the details rule when another agency holds one, one for the stages."""
    proceedings = list(
        Proceeding.objects.filter(case=case)
        .select_related("agency", "perpetrator", "recorded_by")
        .order_by("-opened_on", "-id")[:limit]
    )
    return _with_details(user=user, case=case, proceedings=proceedings, stages=stages)


def _rows(queryset: QuerySet, tag: str, **columns) -> QuerySet:
    """One branch of `case_justice_lists`' UNION: the same columns in the same order."""
    names = [f"j_{name}" for name in columns]
    return (
        queryset.order_by()
        .annotate(j_t=Value(tag, output_field=CharField()))
        .annotate(**{f"j_{name}": value for name, value in columns.items()})
        .values_list("j_t", *names)
    )


def case_justice_lists(
    *, user: User, case: Case, limit: int = 200
) -> tuple[list[ProceedingView], list[ProgrammeReferral]]:
    """The case page's two sections, proceedings and programmes, read in one query (a
    UNION of both tables with their agencies' names), then the details rule: the case page
    has a budget of queries (cases/tests/test_query_counts.py)."""
    text: CharField = CharField()
    day: DateField = DateField()
    number: IntegerField = IntegerField()
    flag: BooleanField = BooleanField()
    proceedings = _rows(
        Proceeding.objects.filter(case=case),
        "p",
        id=F("pk"),
        c1=F("kind"),
        c2=F("stage"),
        c3=F("outcome"),
        d1=F("opened_on"),
        d2=Value(None, output_field=day),
        n1=Value(0, output_field=number),
        n2=Value(None, output_field=number),
        b=Value(False, output_field=flag),
        a=F("agency_id"),
        az=F("agency__name_az"),
        ru=F("agency__name_ru"),
        en=F("agency__name_en"),
    )
    programmes = _rows(
        ProgrammeReferral.objects.filter(case=case),
        "r",
        id=F("pk"),
        c1=F("status"),
        c2=Value("", output_field=text),
        c3=Value("", output_field=text),
        d1=F("referred_on"),
        d2=F("ended_on"),
        n1=F("sessions_attended"),
        n2=F("sessions_planned"),
        b=F("mandated"),
        a=F("provider_id"),
        az=F("provider__name_az"),
        ru=F("provider__name_ru"),
        en=F("provider__name_en"),
    )
    found_p: list[Proceeding] = []
    found_r: list[ProgrammeReferral] = []
    for tag, pk, c1, c2, c3, d1, d2, n1, n2, b, a, az, ru, en in proceedings.union(
        programmes, all=True
    )[:limit]:
        agency = Agency(pk=a, name_az=az, name_ru=ru, name_en=en)
        if tag == "p":
            found = Proceeding(pk=pk, case=case, kind=c1, stage=c2, outcome=c3 or "", opened_on=d1)
            found.agency = agency
            found_p.append(found)
        else:
            programme = ProgrammeReferral(
                pk=pk,
                case=case,
                status=c1,
                referred_on=d1,
                ended_on=d2,
                sessions_attended=n1,
                sessions_planned=n2,
                mandated=bool(b),
            )
            programme.provider = agency
            found_r.append(programme)
    found_p.sort(key=lambda p: (p.opened_on, p.pk), reverse=True)
    found_r.sort(key=lambda r: (r.referred_on, r.pk), reverse=True)
    views = _with_details(user=user, case=case, proceedings=found_p, stages=False)
    return views, found_r


def proceeding_view(*, user: User, proceeding: Proceeding) -> ProceedingView:
    return _with_details(user=user, case=proceeding.case, proceedings=[proceeding], stages=True)[0]


def proceeding_get_for_user(*, user: User, proceeding_id: int | str) -> Proceeding:
    """The proceeding, or 404 when she may not see its case (missing and forbidden alike)."""
    try:
        proceeding_id = int(proceeding_id)
    except (TypeError, ValueError):
        raise Http404 from None
    proceeding = (
        Proceeding.objects.filter(case_visible(user, "case"), pk=proceeding_id)
        .select_related("case__owning_agency", "case__coordinator", "agency", "perpetrator")
        .first()
    )
    if proceeding is None:
        access_denied_record(user=user, object_type="proceeding", object_id=proceeding_id)
        raise Http404
    return proceeding


def programme_get_for_user(*, user: User, programme_id: int | str) -> ProgrammeReferral:
    """The programme referral, or 404 when she may not see its case."""
    try:
        programme_id = int(programme_id)
    except (TypeError, ValueError):
        raise Http404 from None
    programme = (
        ProgrammeReferral.objects.filter(case_visible(user, "case"), pk=programme_id)
        .select_related("case__owning_agency", "case__coordinator", "provider", "perpetrator")
        .first()
    )
    if programme is None:
        access_denied_record(user=user, object_type="programme_referral", object_id=programme_id)
        raise Http404
    return programme


def programmes_of_case(*, case: Case, limit: int = 100) -> list[ProgrammeReferral]:
    """The case's programme referrals: what the circle is told (status and attendance)."""
    return list(
        ProgrammeReferral.objects.filter(case=case)
        .select_related("provider", "perpetrator")
        .order_by("-referred_on", "-id")[:limit]
    )


def case_perpetrators(*, case: Case) -> QuerySet:
    """The persons who are perpetrators in the case (whom proceedings are against)."""
    return CasePerson.objects.filter(case=case, part=Part.PERPETRATOR).select_related("person")


def case_incidents(*, case: Case) -> QuerySet:
    return Incident.objects.filter(case=case).order_by("-occurred_on", "-id")


def programme_providers() -> QuerySet:
    """The agencies offering a perpetrator programme in the service directory."""
    return (
        Agency.objects.filter(
            is_active=True,
            services__kind=ServiceKind.PERPETRATOR_PROGRAMME,
            services__is_active=True,
        )
        .distinct()
        .order_by("code")
    )


def programme_services() -> QuerySet:
    return Service.objects.filter(kind=ServiceKind.PERPETRATOR_PROGRAMME, is_active=True)
