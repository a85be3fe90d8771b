"""Reads of cases, always starting from the access policy's scoped queryset."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from birge.access.cases import (
    case_is_coordinating,
    case_share_allowed,
    case_visible,
    cases_visible_to,
)
from birge.access.fields import ScopedView, case_scopes
from birge.access.trail import AUDITORS_ONLY
from birge.agencies.selectors import user_has_capability
from birge.audit.models import AuditEvent
from birge.cases.identity import (
    identity_matches,
    identity_may_match,
    identity_possible_matches,
    identity_same_persons,
    name_digests,
    word_digests,
)
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    Consent,
    EmergencyAccess,
    IdempotencyKey,
    Part,
)

PAGE_SIZE = 50
# Reads are in "who accessed this case", not in the timeline of what happened.
READS = ("case.viewed", "safety.plan_viewed", "safety.plan_pdf", "referral.viewed")


@dataclass
class CaseRow:
    case: Case
    victim: CasePerson | None


@dataclass
class CasePage:
    rows: list[CaseRow]
    next_before: int | None


def _case_number(text: str) -> int | None:
    """The case a full reference or its number alone names ("301", "000301")."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return Case.id_from_reference(text)


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """By reference or number; by first and last name in either order; by one word as a
    first name or a surname. Names meet through their blind indexes, never plaintext."""
    case_id = _case_number(text)
    if case_id is not None:
        return cases.filter(pk=case_id)
    words = text.split()
    if len(words) >= 2:
        digests = name_digests(words[0], words[1])
    elif words:
        digests = word_digests(words[0])
    else:
        digests = []
    if not digests:
        return cases.none()
    return cases.filter(
        Exists(CasePerson.objects.filter(case=OuterRef("pk"), person__indexes__digest__in=digests))
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def case_list(
    *,
    user,
    scope: str = "agency",
    q: str = "",
    status: str = "",
    risk: str = "",
    region=None,
    opened_from: date | None = None,
    opened_to: date | None = None,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> CasePage:
    """One page of the cases the user may see, newest first, by keyset (no COUNT)."""
    cases = cases_visible_to(user, before=before or None)
    if scope == "mine":
        cases = cases.filter(Q(coordinator=user) | Q(created_by=user))
    if status in (Case.Status.OPEN, Case.Status.CLOSED):
        cases = cases.filter(status=status)
    if risk:
        cases = cases.filter(risk_level=risk)
    if region is not None:
        cases = cases.filter(region=region)
    if opened_from:
        cases = cases.filter(opened_at__gte=_day_start(opened_from))
    if opened_to:
        cases = cases.filter(opened_at__lt=_day_start(opened_to) + timedelta(days=1))
    if q.strip():
        cases = _search(cases, q.strip())
    page = list(cases.select_related("coordinator", "region").order_by("-pk")[: limit + 1])
    has_next = len(page) > limit
    page = page[:limit]
    victims: dict[int, CasePerson] = {}
    for participant in (
        CasePerson.objects.filter(case__in=[c.pk for c in page], part=Part.VICTIM)
        .select_related("person")
        # Decrypt the names only, not her address, phone and birth date.
        .only("case_id", "part", "person__first_name", "person__last_name", "person__patronymic")
        .order_by("id")
    ):
        victims.setdefault(participant.case_id, participant)
    return CasePage(
        rows=[CaseRow(case=c, victim=victims.get(c.pk)) for c in page],
        next_before=page[-1].pk if has_next and page else None,
    )


@dataclass
class PossibleCase:
    """A case that possibly holds the same person, for a coordinator to confirm."""

    token: str  # names the pair in the answer's form (birge.cases.identity)
    case: Case | None = None  # None: she cannot open it


@dataclass
class MatchSummary:
    part: str
    visible_case_ids: list[int] = field(default_factory=list)
    hidden_count: int = 0
    # For a perpetrator: how many different victims he has across those cases.
    other_victims: int = 0
    # Not counted above: a surname that differs only in its gendered ending.
    possible: list[PossibleCase] = field(default_factory=list)

    @property
    def known(self) -> bool:
        """The same person is in another case (not merely possibly)."""
        return bool(self.visible_case_ids or self.hidden_count)


@dataclass
class CaseDetail:
    case: Case
    # Read through her consent scopes (birge.access.fields): a hidden field reads HIDDEN.
    participants: list[ScopedView]
    incidents: list[ScopedView]
    consents: list[Consent]
    circle: list[CircleMember]
    timeline: list[AuditEvent]
    scopes: frozenset[str]
    coordinating: bool
    can_share: bool
    matches: dict[int, MatchSummary]


def case_detail(*, user, case: Case) -> CaseDetail:
    participants = list(
        CasePerson.objects.filter(case=case).select_related("person").order_by("id")
    )
    coordinating = case_is_coordinating(user=user, case=case)
    scopes = case_scopes(user=user, case=case)
    incidents = case.incidents.select_related("reporting_agency", "recorded_by")
    return CaseDetail(
        case=case,
        participants=[ScopedView(p, scopes) for p in participants],
        incidents=[ScopedView(i, scopes) for i in incidents],
        consents=list(case.consents.prefetch_related("agencies").select_related("recorded_by")),
        circle=list(case.circle.select_related("agency", "added_by").order_by("added_at")),
        timeline=list(
            AuditEvent.objects.filter(object_type="case", object_id=str(case.pk))
            .exclude(action__in=READS + AUDITORS_ONLY)
            .select_related("actor", "agency")
            .order_by("id")
        ),
        scopes=scopes,
        coordinating=coordinating,
        can_share=case.status == Case.Status.OPEN and case_share_allowed(user=user, case=case),
        matches=_matches(user, case, participants) if coordinating else {},
    )


def _matches(user, case: Case, participants: list[CasePerson]) -> dict[int, MatchSummary]:
    """Repeat victimisation and serial perpetrators, as far as the coordinator may know,
    and apart from them the possible matches she is asked to confirm or dismiss."""
    summaries = {}
    own_victims = [p.person_id for p in participants if p.part == Part.VICTIM]
    asked = [p for p in participants if p.part in (Part.VICTIM, Part.PERPETRATOR)]
    may_match = identity_may_match(p.person_id for p in asked)
    for participant in asked:
        if participant.person_id not in may_match:
            continue
        same = identity_same_persons([participant.person_id])
        found = identity_matches(person=participant.person, exclude_case_id=case.pk, same=same)
        possible = identity_possible_matches(
            person=participant.person, exclude_case_id=case.pk, same=same
        )
        if not found and not possible:
            continue
        visible = {
            c.pk: c
            for c in cases_visible_to(user)
            .filter(pk__in=set(found) | {m.case_id for m in possible})
            .only("pk", "opened_at")
        }
        summary = MatchSummary(part=participant.part)
        for case_id in sorted(found):
            if case_id in visible:
                summary.visible_case_ids.append(case_id)
            else:
                summary.hidden_count += 1
        summary.possible = [
            PossibleCase(token=m.token, case=visible.get(m.case_id)) for m in possible
        ]
        if participant.part == Part.PERPETRATOR and found:
            # Victims there who are not this case's victim herself: the same woman
            # registered again is repeat victimisation, not a serial offender.
            summary.other_victims = (
                CasePerson.objects.filter(case_id__in=list(found), part=Part.VICTIM)
                .exclude(person_id__in=identity_same_persons(own_victims))
                .values("person")
                .distinct()
                .count()
            )
        summaries[participant.pk] = summary
    return summaries


def case_access_log(*, case: Case) -> QuerySet[AuditEvent]:
    """Who opened or changed this case, newest first (for its coordinator; refusals and
    attempts hidden by a declared relation are the auditors' alone)."""
    return (
        AuditEvent.objects.filter(object_type="case", object_id=str(case.pk))
        .exclude(action__in=AUDITORS_ONLY)
        .select_related("actor", "agency")
        .order_by("-id")
    )


def case_registered_with_key(*, user, key: str) -> Case | None:
    """The case this user registered under this idempotency key, if any (the page then
    opens it through the usual access check and audit)."""
    earlier = IdempotencyKey.objects.filter(user=user, key=key).select_related("case").first()
    return earlier.case if earlier is not None else None


def cases_shared_recently(*, user, days: int = 7) -> QuerySet[CircleMember]:
    """Cases shared with the user's agency in the last `days` days (by referral, the
    conference or the coordinator) that nobody of the agency has opened since, as far as
    she may see them, the newest first."""
    opened = AuditEvent.objects.filter(
        object_type="case",
        object_id=Cast(OuterRef("case_id"), CharField()),
        action="case.viewed",
        agency_id=user.agency_id,
        occurred_at__gte=OuterRef("added_at"),
    )
    return (
        CircleMember.objects.filter(
            case_visible(user, "case"),
            agency_id=user.agency_id,
            removed_at__isnull=True,
            added_at__gte=timezone.now() - timedelta(days=days),
        )
        .exclude(route=CircleMember.Route.OWNER)
        .exclude(Exists(opened))
        .select_related("case")
        .order_by("-added_at", "-id")
    )


def emergency_grants_awaiting_review(*, user) -> QuerySet[EmergencyAccess]:
    """Emergency accesses no auditor has reviewed yet, the oldest first (auditors only)."""
    if not user_has_capability(user, "audit.read"):
        return EmergencyAccess.objects.none()
    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True)
        .select_related("case")
        .order_by("started_at", "id")
    )
