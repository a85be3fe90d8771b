"""Reads of safety plans. The case itself always comes from birge.access.cases first."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from birge.access.fields import LOCATION, case_scopes
from birge.agencies.models import Agency
from birge.cases.models import Case, CasePerson, Incident, Part
from birge.privacy.redaction import Hit, PersonNames, Place, Redactor
from birge.safety.models import SafetyAction, SafetyPlan, SafetyPlanRevision


def responsible_agencies(*, case: Case) -> QuerySet[Agency]:
    """Who can take on an action: the active agencies of the case's circle (the only
    ones that can see the plan at all)."""
    return Agency.objects.filter(
        is_active=True,
        pk__in=case.circle.filter(removed_at__isnull=True).values("agency_id"),
    ).order_by("id")


def responsible_people(*, case: Case) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, agency__in=responsible_agencies(case=case))
        .select_related("agency")
        .order_by("agency_id", "last_name", "first_name", "username")
    )


def case_victims(*, case: Case) -> list[CasePerson]:
    return list(CasePerson.objects.filter(case=case, part=Part.VICTIM).select_related("person"))


def safety_plan_get(*, case: Case, plan_id: int) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(case=case, pk=plan_id).select_related("victim__person").first()


def safety_plan_latest(plan: SafetyPlan) -> SafetyPlanRevision | None:
    return plan.revisions.select_related("author").order_by("-number").first()


@dataclass
class PlanDetail:
    plan: SafetyPlan
    current: SafetyPlanRevision | None
    revisions: list[SafetyPlanRevision] = field(default_factory=list)
    actions: list[SafetyAction] = field(default_factory=list)


def safety_plan_detail(*, plan: SafetyPlan) -> PlanDetail:
    # The history lists who saved which revision when; the texts of old revisions are
    # not decrypted for the list (deferred), only the current one is shown.
    revisions = list(
        plan.revisions.select_related("author").only(
            "id", "plan_id", "number", "created_at", "author"
        )
    )
    return PlanDetail(
        plan=plan,
        current=safety_plan_latest(plan),
        revisions=revisions,
        actions=list(
            plan.actions.select_related("agency", "responsible", "created_by", "closed_by")
        ),
    )


@dataclass
class VictimPlan:
    victim: CasePerson
    plan: SafetyPlan | None


def case_safety_plans(*, case: Case) -> list[VictimPlan]:
    """Each victim of the case with her plan, or None when she has none yet."""
    plans = {p.victim_id: p for p in SafetyPlan.objects.filter(case=case)}
    return [VictimPlan(victim=v, plan=plans.get(v.pk)) for v in case_victims(case=case)]


def case_redactor(*, case: Case, user=None) -> Redactor:
    """The people and places of the case, to find in a plan's text.

    Without `user`: everyone and every place (her copy leaves them all out). With
    `user`: what she may see of the case, to show her what she typed (the names, the
    places of her location scope only when she may see them: birge.access.fields), so
    that the check tells her nothing she may not know. Keys name the
    source, never its text: "name:<part>:<id>", "address:<id>", "shelter:<id>",
    "incident:<id>".
    """
    location = user is None or LOCATION in case_scopes(user=user, case=case)
    persons, places = [], []
    for part in CasePerson.objects.filter(case=case).select_related("person").order_by("id"):
        person = part.person
        persons.append(
            PersonNames(
                key=f"name:{part.part}:{part.pk}",
                first=person.first_name,
                last=person.last_name,
                patronymic=person.patronymic,
            )
        )
        if location:
            places.append(Place(key=f"address:{part.pk}", text=person.address))
            places.append(Place(key=f"shelter:{part.pk}", text=part.shelter_location))
    for incident in Incident.objects.filter(case=case).only("id", "place") if location else ():
        places.append(Place(key=f"incident:{incident.pk}", text=incident.place))
    return Redactor(persons=persons, places=places)


def safety_plan_mentions(*, case: Case, user, sections: dict[str, str]) -> dict[str, list[Hit]]:
    """Each section's passages that name a person or a place of the case that `user`
    may see (sections with none are left out)."""
    redactor = case_redactor(case=case, user=user)
    found = {name: redactor.hits(text) for name, text in sections.items() if text}
    return {name: hits for name, hits in found.items() if hits}
