"""Registering a case in one go, and adding people and incidents to it."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases import events
from birge.cases.identity import (
    identity_matches,
    identity_possible_matches,
    person_index_build,
)
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    IdempotencyKey,
    Incident,
    Part,
    Person,
)
from birge.cases.services._common import (
    case_coordinators,
    case_escalation_recipients,
    case_touch,
)
from birge.cases.services.circle import consent_record
from birge.cases.services.lifecycle import case_escalate
from birge.notifications.services import notify

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "patronymic",
    "birth_date",
    "approximate_age",
    "sex",
    "phone",
    "address",
    "languages",
)
INCIDENT_FIELDS = (
    "occurred_on",
    "place",
    "forms",
    "injuries",
    "weapon",
    "children_present",
    "children_witnessed",
    "narrative",
)


@dataclass
class CaseRegistration:
    case: Case
    # Other cases that hold one of this case's people: {case id: {parts}}.
    matches: dict[int, set[str]] = field(default_factory=dict)
    # How many of those the registering user cannot see ("ask the coordinator").
    hidden_matches: int = 0
    # Other cases that possibly hold one of this case's people (a surname that differs
    # only in its gendered ending): for a coordinator to confirm, never a match yet.
    possible_matches: set[int] = field(default_factory=set)
    hidden_possible_matches: int = 0
    repeated: bool = False


def _person_create(*, actor, data: dict) -> Person:
    values = {k: data[k] for k in PERSON_FIELDS if data.get(k) not in (None, "")}
    birth_date = values.get("birth_date")
    person = Person.objects.create(
        registered_by_agency_id=actor.agency_id,
        birth_year=birth_date.year if birth_date else None,
        **values,
    )
    person_index_build(person)
    return person


def person_add(
    *, actor, case: Case, data: dict, part: str, relationship: str = "", shelter_location: str = ""
) -> CasePerson:
    with transaction.atomic():
        person = _person_create(actor=actor, data=data)
        participant = CasePerson.objects.create(
            case=case,
            person=person,
            part=part,
            relationship=relationship or "",
            shelter_location=shelter_location or "",
        )
        event_record(
            action="case.person_added",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"person": person.pk, "part": part},
        )
        events.identity_joined.send(Case, case=case, participant=participant, actor=actor)
    return participant


def incident_record(
    *,
    actor,
    case: Case,
    data: dict,
    escalate: bool = True,
    expected_version: int | None = None,
) -> Incident:
    """Record an incident. A new incident on an existing case escalates it; so does
    reaching BIRGE_ESCALATION_INCIDENTS incidents within 12 months (and the case then
    goes to the risk conference's queue). Within 12 months of the last conference that
    heard the same victim and perpetrator, it queues the case again as a repeat.

    An incident is an append: it waits for the case's row lock rather than failing on a
    version, unless the caller asks for one (`expected_version`, an API If-Match)."""
    with transaction.atomic():
        case_touch(case, expected_version=expected_version)
        incident = Incident.objects.create(
            case=case,
            reporting_agency_id=data.get("reporting_agency_id") or actor.agency_id,
            recorded_by=actor,
            **{k: data[k] for k in INCIDENT_FIELDS if k in data and data[k] is not None},
        )
        event_record(
            action="case.incident_recorded",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"incident": incident.pk, "forms": sorted(incident.forms)},
        )
        if escalate:
            _escalate_after_incident(actor=actor, case=case, incident=incident)
    return incident


def _escalate_after_incident(*, actor, case: Case, incident: Incident) -> None:
    recipients = case_escalation_recipients(case)
    case_escalate(case=case, trigger="new_incident", actor=actor, recipients=recipients)
    events.incident_recorded.send(Case, case=case, incident=incident, actor=actor)
    if _within_a_year(case, incident.occurred_on) >= settings.BIRGE_ESCALATION_INCIDENTS:
        case_escalate(case=case, trigger="repeated_incidents", actor=actor, recipients=recipients)
        events.conference_criterion_met.send(Case, case=case, criterion="escalation", actor=actor)


def _within_a_year(case: Case, day) -> int:
    """The most incidents of the case within one 12-month window that holds `day`.

    An incident recorded late (it happened long ago) counts with the incidents around it,
    not with every incident after it."""
    year = timedelta(days=365)
    dates = sorted(
        case.incidents.filter(occurred_on__gt=day - year, occurred_on__lt=day + year).values_list(
            "occurred_on", flat=True
        )
    )
    return max(
        (sum(1 for d in dates if start <= d < start + year) for start in dates if start <= day),
        default=0,
    )


def case_register(
    *,
    actor,
    victim: dict,
    incident: dict,
    perpetrator: dict | None = None,
    relationship: str = "",
    children: list[dict] | None = None,
    consent: dict | None = None,
    coordinator=None,
    idempotency_key: str = "",
) -> CaseRegistration:
    """Open a case with its victim, perpetrator, children, first incident and consent.

    The same idempotency key from the same user returns the case it first created."""
    if not user_has_capability(actor, "case.create"):
        raise PermissionDenied
    if idempotency_key:
        earlier = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
        if earlier is not None:
            return CaseRegistration(case=earlier.case, repeated=True)
    try:
        with transaction.atomic():
            registration = _register(
                actor=actor,
                victim=victim,
                incident=incident,
                perpetrator=perpetrator,
                relationship=relationship,
                children=children or [],
                consent=consent,
                coordinator=coordinator,
            )
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=actor, key=idempotency_key, case=registration.case
                )
    except IntegrityError:
        # The same submission arrived twice at once: the other one won; return its case.
        earlier = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
        if not idempotency_key or earlier is None:
            raise
        return CaseRegistration(case=earlier.case, repeated=True)
    return registration


def _register(
    *, actor, victim, incident, perpetrator, relationship, children, consent, coordinator
):
    if coordinator is None and user_has_capability(actor, "case.coordinate"):
        coordinator = actor
    case = Case.objects.create(
        owning_agency_id=actor.agency_id,
        coordinator=coordinator,
        region_id=actor.agency.region_id,
        created_by=actor,
        opened_at=timezone.now(),
    )
    CircleMember.objects.create(
        case=case,
        agency_id=actor.agency_id,
        route=CircleMember.Route.OWNER,
        basis=CircleMember.Basis.OWNER,
        added_by=actor,
    )
    event_record(action="case.created", actor=actor, object_type="case", object_id=case.pk)
    people = [
        person_add(
            actor=actor,
            case=case,
            data=victim,
            part=Part.VICTIM,
            shelter_location=victim.get("shelter_location", ""),
        ).person
    ]
    if perpetrator:
        people.append(
            person_add(
                actor=actor,
                case=case,
                data=perpetrator,
                part=Part.PERPETRATOR,
                relationship=relationship,
            ).person
        )
    for child in children:
        people.append(person_add(actor=actor, case=case, data=child, part=Part.CHILD).person)
    first = incident_record(actor=actor, case=case, data=incident, escalate=False)
    if consent:
        consent_record(actor=actor, case=case, **consent)
    # A new case of a victim and perpetrator the conference heard within 12 months is a
    # repeat case (birge.conferences), as a new incident on the heard case is.
    events.case_registered.send(Case, case=case, incident=first, actor=actor)
    return _match_identities(actor=actor, case=case, people=people)


def _match_identities(*, actor, case: Case, people: list[Person]) -> CaseRegistration:
    """Tell the registering user what she may know, and the other coordinators the rest.

    Possible matches are told apart from matches, in the same measure: a count, and for a
    case she cannot see, nothing of it but that its coordinator has been told."""
    matches: dict[int, set[str]] = {}
    possible: set[int] = set()
    for person in people:
        for case_id, parts in identity_matches(person=person, exclude_case_id=case.pk).items():
            matches.setdefault(case_id, set()).update(parts)
        possible.update(
            match.case_id
            for match in identity_possible_matches(person=person, exclude_case_id=case.pk)
        )
    possible -= set(matches)
    if not matches and not possible:
        return CaseRegistration(case=case)
    visible = set(
        cases_visible_to(actor).filter(pk__in=set(matches) | possible).values_list("pk", flat=True)
    )
    hidden = [pk for pk in matches if pk not in visible]
    hidden_possible = sorted(pk for pk in possible if pk not in visible)
    for kind, ids in (
        ("case.identity_match", hidden),
        ("case.identity_possible_match", hidden_possible),
    ):
        for other in Case.objects.filter(pk__in=ids).select_related("coordinator"):
            notify(
                recipients=case_coordinators(other),
                kind=kind,
                params={"reference": other.reference, "agency": actor.agency.name_en},
                url=f"/cases/{other.pk}/",
                dedupe_key=f"identity:{other.pk}:{case.pk}",
            )
    event_record(
        action="case.identity_matched",
        actor=actor,
        object_type="case",
        object_id=case.pk,
        data={
            "cases": sorted(matches),
            "hidden": len(hidden),
            "possible": sorted(possible),
            "possible_hidden": len(hidden_possible),
        },
    )
    return CaseRegistration(
        case=case,
        matches=matches,
        hidden_matches=len(hidden),
        possible_matches=possible,
        hidden_possible_matches=len(hidden_possible),
    )
