"""Each table's figures against a direct count of the cases themselves (their people,
incidents, status), on cases registered as people register them, spread over two
regions and two quarters; then the job that keeps the facts current."""

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from birge.cases.models import Case, CasePerson, Incident, Part, ViolenceForm
from birge.cases.tests.factories import register_case
from birge.jobs.registry import jobs_run
from birge.reports import categories as cat
from birge.reports.facts import facts_refresh, quarter_of
from birge.reports.models import CaseFact
from birge.reports.statistics import ALL, TABLES, TOTAL, publication_compute

EARLIER = datetime(2025, 2, 10, 10, 0).astimezone(timezone.get_current_timezone())
RELATIONSHIPS = ["spouse", "former_partner", "parent", "other", ""]
FORMS = [
    [ViolenceForm.PHYSICAL],
    [ViolenceForm.PSYCHOLOGICAL, ViolenceForm.ECONOMIC],
    [ViolenceForm.SEXUAL, ViolenceForm.PHYSICAL],
]


@pytest.fixture
def cases(officer, outsider):
    made = []
    for i in range(14):
        actor = officer if i < 10 else outsider
        case = register_case(
            actor,
            victim={
                "sex": "female" if i % 4 else "male",
                "birth_date": None,
                "approximate_age": 15 + 4 * i,
            },
            relationship=RELATIONSHIPS[i % len(RELATIONSHIPS)],
            incident={
                "forms": FORMS[i % 3],
                "children_present": i % 3 == 0,
                "children_witnessed": i % 5 == 0,
            },
        )
        made.append(case)
    Case.objects.filter(pk__in=[c.pk for c in made[::2]]).update(opened_at=EARLIER)
    for case in made[:3]:
        close(case)
    return made


MULTIPLE = {code for code, _label in [*cat.FORMS, *cat.CHILDREN, *cat.PATHWAYS]}


def close(case, at=None):
    """Closed (the coordinator's step; the statistics read only the status it leaves)."""
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=at, updated_at=at)


def direct_counts() -> dict:
    """(table, quarter, region, category) → cases, from the cases themselves."""
    counts: dict = {}

    def add(table, case, category):
        for region in (case.region_id, ALL):
            for key in (
                (table, quarter_of(case.opened_at), region, category),
                (table, quarter_of(case.opened_at), region, TOTAL),
            ):
                if key[-1] == TOTAL and category in MULTIPLE:
                    continue
                counts[key] = counts.get(key, 0) + 1

    for case in Case.objects.select_related("owning_agency"):
        victim = CasePerson.objects.filter(case=case, part=Part.VICTIM).first()
        perpetrator = CasePerson.objects.filter(case=case, part=Part.PERPETRATOR).first()
        incidents = list(Incident.objects.filter(case=case).order_by("occurred_on", "id"))
        add("status", case, "closed" if case.status == "closed" else "active")
        add("victim_sex", case, victim.person.sex)
        add("victim_age", case, cat.age_band(victim.person.approximate_age))
        add("perpetrator_sex", case, perpetrator.person.sex if perpetrator else "unknown")
        add(
            "relationship",
            case,
            cat.RELATIONSHIP_GROUP.get(perpetrator.relationship, "unknown")
            if perpetrator
            else "unknown",
        )
        add("agency_kind", case, case.owning_agency.kind)
        add("risk_latest", case, case.risk_level or "none")
        add(
            "repeat",
            case,
            "yes"
            if any((b.occurred_on - a.occurred_on).days <= 365 for a, b in pairwise(incidents))
            else "no",
        )
        for form in sorted({f for incident in incidents for f in incident.forms}):
            add("forms", case, form)
        if any(incident.children_present for incident in incidents):
            add("children", case, "present")
        if any(incident.children_witnessed for incident in incidents):
            add("children", case, "witnessed")
    return counts


def test_each_table_counts_what_a_direct_count_of_the_cases_gives(cases):
    facts_refresh()
    truth = publication_compute(min_cell=0)
    expected = direct_counts()
    checked = {
        "status",
        "victim_sex",
        "victim_age",
        "perpetrator_sex",
        "relationship",
        "agency_kind",
        "risk_latest",
        "repeat",
        "forms",
        "children",
    }
    for spec in TABLES:
        if spec.code not in checked:
            continue
        for (quarter, region, category), figure in truth.figures[spec.code].items():
            assert figure.value == expected.get((spec.code, quarter, region, category), 0), (
                spec.code,
                quarter,
                region,
                category,
            )
    assert truth.figures["status"][quarter_of(EARLIER), ALL, TOTAL].value == 7
    assert (
        sum(f.value for (q, r, c), f in truth.figures["status"].items() if r == ALL and c == TOTAL)
        == 14
    )


def test_the_days_to_the_first_assessment_and_referral_are_not_yet_without_them(cases):
    facts_refresh()
    truth = publication_compute(min_cell=0)
    for table in ("days_to_assessment", "days_to_referral"):
        nones = sum(
            f.value for (q, r, c), f in truth.figures[table].items() if r == ALL and c == "none"
        )
        done = CaseFact.objects.filter(**{f"{table}__isnull": False}).count()
        assert nones + done == 14


def test_the_job_refreshes_the_changed_cases_and_is_safe_twice(cases):
    soon = timezone.now() + timedelta(minutes=1)
    assert jobs_run(names=["statistics_refresh"], now=soon) == {"statistics_refresh": 14}
    # Again: nothing changed since (the facts written twice would be the same).
    again = soon + timedelta(minutes=1)
    assert jobs_run(names=["statistics_refresh"], now=again) == {"statistics_refresh": 0}
    case = cases[5]
    case.refresh_from_db()
    assert CaseFact.objects.get(case=case).status == "active"
    later = again + timedelta(minutes=1)
    close(case, at=later)
    assert facts_refresh(now=later + timedelta(seconds=10)) == 1
    assert CaseFact.objects.get(case=case).status == "closed"
    assert CaseFact.objects.count() == 14
