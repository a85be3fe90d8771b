"""The perpetrator across cases: what a reader may know of him, and whether he is serial.

A perpetrator is a person with the part "perpetrator" in a case; the same man in other
cases is found through the strong identity match of `birge.cases.identity` (the same
name with the same birth date or phone, or a pair a coordinator confirmed), never a
possible match. His page lists only the cases the reader's agency may see
(`cases_visible_to`) and says how many others there are, as the case page does for a
victim; the page exists only for a reader who may see the case it is reached from.

*Serial*: he is a perpetrator in other cases whose victims are not this case's victim
(the same woman registered twice is repeat victimisation, not a serial offender). Each of
his cases' circles is told how many such cases there are, never who the other victims
are nor, to someone who cannot see them, which cases."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from birge.access.cases import cases_visible_to
from birge.access.trail import access_denied_record
from birge.cases.identity import identity_may_match, identity_same_persons
from birge.cases.models import Case, CasePerson, Part, Relationship
from birge.justice.models import Proceeding, ProgrammeReferral, ProtectionOrder


@dataclass
class SerialFlag:
    """One perpetrator of a case seen from that case: the other cases in which he is a
    perpetrator of another victim."""

    participant: CasePerson
    other_case_ids: list[int] = field(default_factory=list)

    @property
    def other_cases(self) -> int:
        return len(self.other_case_ids)


def _perpetrator_cases(person_ids: set[int]) -> dict[int, set[int]]:
    """{case id: {his person ids there}} of the cases where one of these persons is a
    perpetrator (anonymised persons are nobody any more)."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = CasePerson.objects.filter(
        person_id__in=list(person_ids),
        part=Part.PERPETRATOR,
        person__anonymised_at__isnull=True,
    ).values_list("case_id", "person_id")
    for case_id, person_id in rows:
        found[case_id].add(person_id)
    return dict(found)


def _victims(case_ids) -> dict[int, set[int]]:
    victims: dict[int, set[int]] = defaultdict(set)
    for case_id, person_id in CasePerson.objects.filter(
        case_id__in=list(case_ids), part=Part.VICTIM
    ).values_list("case_id", "person_id"):
        victims[case_id].add(person_id)
    return victims


@dataclass
class SerialGroup:
    """A perpetrator's cases as a perpetrator, by the strong match."""

    persons: set[int]  # the same man's person ids
    cases: set[int]
    # For each of his cases, the others whose victims are not its own victim.
    others: dict[int, list[int]]

    @property
    def key(self) -> int:
        """A stable name for him in a dedupe key: his first person id."""
        return min(self.persons)


def serial_group(*, case_id: int, person_id: int) -> SerialGroup:
    """His cases as a perpetrator (the same person by the strong match) and, for each of
    them, the others with another victim."""
    same = identity_same_persons([person_id])
    cases = set(_perpetrator_cases(same)) | {case_id}
    if len(cases) < 2:
        return SerialGroup(persons=same, cases=cases, others={case_id: []})
    victims = _victims(cases)
    others: dict[int, list[int]] = {}
    for one in sorted(cases):
        hers = identity_same_persons(victims[one]) if victims.get(one) else set()
        others[one] = sorted(
            other for other in cases if other != one and victims.get(other, set()) - hers - same
        )
    return SerialGroup(persons=same, cases=cases, others=others)


def serial_flags(*, case: Case, perpetrators: list[CasePerson] | None = None) -> list[SerialFlag]:
    """The perpetrators of this case known as perpetrators of other victims elsewhere
    (`perpetrators`: the case's, when the caller has read them). One query for a case
    whose perpetrators are known nowhere else (most)."""
    if perpetrators is None:
        perpetrators = list(
            CasePerson.objects.filter(case=case, part=Part.PERPETRATOR).order_by("id")
        )
    may_match = identity_may_match(p.person_id for p in perpetrators)
    flags = []
    for participant in perpetrators:
        if participant.person_id not in may_match:
            continue
        group = serial_group(case_id=case.pk, person_id=participant.person_id)
        if group.others.get(case.pk):
            flags.append(SerialFlag(participant=participant, other_case_ids=group.others[case.pk]))
    return flags


# --- His page ------------------------------------------------------------------------


@dataclass
class PerpetratorCase:
    """One case of his the reader may see, with what the justice side holds about him
    there (stages and statuses only: the details stay with the justice agencies)."""

    case: Case
    part: str
    relationship: str
    orders: list[ProtectionOrder] = field(default_factory=list)
    proceedings: list[Proceeding] = field(default_factory=list)
    programmes: list[ProgrammeReferral] = field(default_factory=list)

    def get_part_display(self) -> str:
        return str(Part(self.part).label)

    def get_relationship_display(self) -> str:
        return str(Relationship(self.relationship).label) if self.relationship else ""


@dataclass
class PerpetratorPage:
    participant: CasePerson
    cases: list[PerpetratorCase]
    # His other cases the reader's agency may not see: a count, "ask their coordinators".
    hidden_count: int
    # His cases (visible or not) with a victim other than the one of the case he was
    # reached from: the serial flag.
    other_victim_cases: int

    @property
    def serial(self) -> bool:
        return self.other_victim_cases > 0


def perpetrator_get_for_user(*, user, perpetrator_id: int) -> PerpetratorPage:
    """His page for this reader, reached from a case's perpetrator (`perpetrator_id`: his
    part in that case). 404 unless the reader may see that case; then his cases she may
    see, and how many others there are."""
    participant = (
        CasePerson.objects.filter(
            pk=perpetrator_id, part=Part.PERPETRATOR, case__in=cases_visible_to(user)
        )
        .select_related("person", "case")
        .first()
    )
    if participant is None:
        access_denied_record(user=user, object_type="perpetrator", object_id=perpetrator_id)
        raise Http404
    same = identity_same_persons([participant.person_id])
    parts = list(
        CasePerson.objects.filter(person_id__in=list(same), person__anonymised_at__isnull=True)
        .order_by("case_id", "id")
        .values_list("case_id", "part", "relationship", "person_id")
    )
    all_cases = {case_id for case_id, *_rest in parts}
    visible = {
        c.pk: c
        for c in cases_visible_to(user)
        .filter(pk__in=all_cases)
        .select_related("region")
        .order_by("-opened_at", "-pk")
    }
    rows: dict[int, PerpetratorCase] = {}
    his_ids: dict[int, set[int]] = defaultdict(set)
    for case_id, part, relationship, person_id in parts:
        if case_id not in visible:
            continue
        his_ids[case_id].add(person_id)
        row = rows.get(case_id)
        if row is None:
            rows[case_id] = PerpetratorCase(
                case=visible[case_id], part=part, relationship=relationship
            )
        elif part == Part.PERPETRATOR:
            row.part, row.relationship = part, relationship
    mine = [pid for ids in his_ids.values() for pid in ids]
    for order in ProtectionOrder.objects.filter(
        case_id__in=list(rows), perpetrator_id__in=mine
    ).order_by("case_id", "-id"):
        rows[order.case_id].orders.append(order)
    for proceeding in Proceeding.objects.filter(
        case_id__in=list(rows), perpetrator_id__in=mine
    ).defer("sentence"):
        rows[proceeding.case_id].proceedings.append(proceeding)
    for programme in (
        ProgrammeReferral.objects.filter(case_id__in=list(rows), perpetrator_id__in=mine)
        .select_related("provider")
        .defer("note")
    ):
        rows[programme.case_id].programmes.append(programme)
    group = serial_group(case_id=participant.case_id, person_id=participant.person_id)
    ordered = [rows[pk] for pk in visible if pk in rows]
    return PerpetratorPage(
        participant=participant,
        cases=ordered,
        hidden_count=len(all_cases - set(visible)),
        other_victim_cases=len(group.others.get(participant.case_id, [])),
    )
