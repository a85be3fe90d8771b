"""Filling the fact table: one row of codes per case (birge.reports.models.CaseFact),
computed from the case, its people, incidents, assessments, referrals, protection orders,
proceedings and perpetrator programmes, and refreshed
for the cases changed since the last run (`facts_refresh`, the `statistics_refresh` job).

A case counts in the quarter it was opened. "Active" and "closed" are its status now;
"repeat" says whether a new incident followed an earlier one of the case within 12
months; the days to the first assessment and the first referral are counted from the
opening. Orders count by the steps any of the case's orders reached (applied for, issued,
served, breached); proceedings and programmes by the case's latest
one (its stage, or its outcome once decided; the programme's status). Retired cases (opened by mistake or twice) are left out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from birge.cases.models import Case, CasePerson, Incident, Part
from birge.justice.models import OrderBreach, Proceeding, ProgrammeReferral, ProtectionOrder
from birge.referrals.models import Referral
from birge.reports.categories import (
    CHILDREN,
    DAYS_CAP,
    FORMS,
    ORDERS,
    PATHWAYS,
    PROCEEDING,
    RELATIONSHIP_GROUP,
    age_band,
    bits,
)
from birge.reports.models import CaseFact, FactRefresh
from birge.risk.models import RiskAssessment

BATCH = 2000
REFRESH = "case_facts"
SUBMITTED = (RiskAssessment.Status.SUBMITTED, RiskAssessment.Status.SUPERSEDED)
PROCEEDING_CODES = {code for code, _label in PROCEEDING}


def quarter_of(moment: datetime) -> int:
    local = timezone.localtime(moment)
    return local.year * 10 + (local.month - 1) // 3 + 1


def _days(start: datetime, end: datetime | None) -> int | None:
    if end is None:
        return None
    return max(0, min(DAYS_CAP, (end - start).days))


def facts_compute(case_ids: Iterable[int], *, now: datetime) -> list[CaseFact]:
    """The facts of these cases (retired ones have none). Nine queries per batch."""
    ids = list(case_ids)
    cases = list(
        Case.objects.filter(pk__in=ids)
        .exclude(status=Case.Status.RETIRED)
        .select_related("owning_agency")
        .only("pk", "status", "opened_at", "region_id", "risk_level", "owning_agency__kind")
    )
    people: dict[tuple[int, str], CasePerson] = {}
    for part in (
        CasePerson.objects.filter(case_id__in=ids, part__in=(Part.VICTIM, Part.PERPETRATOR))
        .select_related("person")
        .only(
            "case_id",
            "part",
            "relationship",
            "person__sex",
            "person__approximate_age",
            "person__birth_year",
        )
        .order_by("id")
    ):
        people.setdefault((part.case_id, part.part), part)
    incidents: dict[int, list[Incident]] = defaultdict(list)
    for incident in (
        Incident.objects.filter(case_id__in=ids)
        .only("case_id", "occurred_on", "forms", "children_present", "children_witnessed")
        .order_by("occurred_on", "id")
    ):
        incidents[incident.case_id].append(incident)
    assessments: dict[int, tuple[datetime, str]] = {}
    for case_id, submitted_at, level in (
        RiskAssessment.objects.filter(case_id__in=ids, status__in=SUBMITTED)
        .values_list("case_id", "submitted_at", "final_level")
        .order_by("submitted_at", "id")
    ):
        assessments.setdefault(case_id, (submitted_at, level))
    referrals: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for case_id, sent_at, kind in (
        Referral.objects.filter(case_id__in=ids, sent_at__isnull=False)
        .values_list("case_id", "sent_at", "service__kind")
        .order_by("sent_at", "id")
    ):
        referrals[case_id].append((sent_at, kind))
    orders = _orders(ids)
    proceedings: dict[int, str] = {}
    for case_id, stage, outcome in (
        Proceeding.objects.filter(case_id__in=ids)
        .values_list("case_id", "stage", "outcome")
        .order_by("-opened_on", "-id")
    ):
        proceedings.setdefault(case_id, _proceeding_code(stage, outcome))
    programmes: dict[int, str] = {}
    for case_id, status in (
        ProgrammeReferral.objects.filter(case_id__in=ids)
        .values_list("case_id", "status")
        .order_by("-referred_on", "-id")
    ):
        programmes.setdefault(case_id, status)
    facts = []
    for case in cases:
        victim = people.get((case.pk, Part.VICTIM))
        perpetrator = people.get((case.pk, Part.PERPETRATOR))
        events = incidents[case.pk]
        first_assessment = assessments.get(case.pk)
        sent = referrals[case.pk]
        facts.append(
            CaseFact(
                case_id=case.pk,
                quarter=quarter_of(case.opened_at),
                region_id=case.region_id,
                owning_agency_id=case.owning_agency_id,
                agency_kind=case.owning_agency.kind,
                status="closed" if case.status == Case.Status.CLOSED else "active",
                victim_sex=victim.person.sex if victim else "unknown",
                victim_age=_age(victim, case),
                perpetrator_sex=perpetrator.person.sex if perpetrator else "unknown",
                perpetrator_age=_age(perpetrator, case),
                relationship=(
                    RELATIONSHIP_GROUP.get(perpetrator.relationship, "unknown")
                    if perpetrator
                    else "unknown"
                ),
                forms=bits([form for event in events for form in event.forms or []], FORMS),
                children=bits(
                    [
                        *(["present"] if any(e.children_present for e in events) else []),
                        *(["witnessed"] if any(e.children_witnessed for e in events) else []),
                    ],
                    CHILDREN,
                ),
                pathways=bits([kind for _sent_at, kind in sent], PATHWAYS),
                risk_first=(first_assessment[1] or "none") if first_assessment else "none",
                risk_latest=case.risk_level or "none",
                repeat="yes" if _repeat(events) else "no",
                days_to_assessment=_days(
                    case.opened_at, first_assessment[0] if first_assessment else None
                ),
                days_to_referral=_days(case.opened_at, sent[0][0] if sent else None),
                orders=bits(sorted(orders[case.pk]), ORDERS),
                proceeding=proceedings.get(case.pk, "none"),
                programme=programmes.get(case.pk, "none"),
                refreshed_at=now,
            )
        )
    return facts


def _orders(ids: list[int]) -> dict[int, set[str]]:
    """The steps the case's orders reached: applied for, issued, served, breached (as the
    justice app's figures count them)."""
    steps: dict[int, set[str]] = defaultdict(set)
    for case_id, applied_on, issued_on, served_at in ProtectionOrder.objects.filter(
        case_id__in=ids
    ).values_list("case_id", "applied_on", "issued_on", "served_at"):
        for step, done in (("applied", applied_on), ("issued", issued_on), ("served", served_at)):
            if done is not None:
                steps[case_id].add(step)
    for case_id in OrderBreach.objects.filter(order__case_id__in=ids).values_list(
        "order__case_id", flat=True
    ):
        steps[case_id].add("breached")
    return steps


def _proceeding_code(stage: str, outcome: str) -> str:
    """The outcome once decided, else the stage (decided without an outcome yet: trial)."""
    code = outcome or (Proceeding.Stage.TRIAL if stage == Proceeding.Stage.OUTCOME else stage)
    return code if code in PROCEEDING_CODES else "none"


def _age(part: CasePerson | None, case: Case) -> str:
    if part is None:
        return "unknown"
    person = part.person
    if person.birth_year:
        return age_band(timezone.localtime(case.opened_at).year - person.birth_year)
    return age_band(person.approximate_age)


def _repeat(incidents: list[Incident]) -> bool:
    return any(
        later.occurred_on - earlier.occurred_on <= timedelta(days=365)
        for earlier, later in pairwise(incidents)
    )


def facts_store(case_ids: list[int], *, now: datetime) -> int:
    """Write the facts of these cases (and drop those of cases retired or gone)."""
    facts = facts_compute(case_ids, now=now)
    with transaction.atomic():
        CaseFact.objects.filter(case_id__in=set(case_ids) - {f.case_id for f in facts}).delete()
        CaseFact.objects.bulk_create(
            facts,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=[
                field.name for field in CaseFact._meta.concrete_fields if field.name != "case"
            ],
        )
    return len(case_ids)


def changed_cases(since: datetime | None) -> set[int]:
    """Cases changed since `since` (all without): the case itself, or an incident,
    assessment, referral, protection order (a breach is an incident), proceeding or
    programme referral of it."""
    if since is None:
        return set(Case.objects.values_list("pk", flat=True))
    ids = set(Case.objects.filter(updated_at__gt=since).values_list("pk", flat=True))
    ids |= set(Incident.objects.filter(recorded_at__gt=since).values_list("case_id", flat=True))
    ids |= set(
        RiskAssessment.objects.filter(updated_at__gt=since).values_list("case_id", flat=True)
    )
    ids |= set(
        Referral.objects.filter(Q(sent_at__gt=since) | Q(responded_at__gt=since)).values_list(
            "case_id", flat=True
        )
    )
    for model in (ProtectionOrder, Proceeding, ProgrammeReferral):
        ids |= set(model.objects.filter(updated_at__gt=since).values_list("case_id", flat=True))
    ids |= set(
        OrderBreach.objects.filter(recorded_at__gt=since).values_list("order__case_id", flat=True)
    )
    return ids


def facts_refresh(*, now: datetime | None = None) -> int:
    """Refresh the facts of every case changed since the last run; the number of cases.
    Safe twice and on two servers: the run holds the refresh row's lock (another run
    finding it locked does nothing), and writing a case's facts twice writes the same."""
    now = now or timezone.now()
    FactRefresh.objects.get_or_create(name=REFRESH)
    with transaction.atomic():
        state = FactRefresh.objects.select_for_update(skip_locked=True).filter(name=REFRESH).first()
        if state is None:
            return 0
        # A change committed while this run reads is caught by the next run: it starts
        # a little before this one's start.
        ids = sorted(changed_cases(state.refreshed_through))
        for start in range(0, len(ids), BATCH):
            facts_store(ids[start : start + BATCH], now=now)
        state.refreshed_through = now - timedelta(seconds=5)
        state.refreshed_cases = len(ids)
        state.save(update_fields=["refreshed_through", "refreshed_cases"])
    return len(ids)


def facts_as_of() -> datetime | None:
    state = FactRefresh.objects.filter(name=REFRESH).first()
    return state.refreshed_through if state else None
