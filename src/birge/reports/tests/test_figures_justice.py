"""The justice tables of the statistics (protection orders, proceedings, perpetrator
programmes) against a direct count of the orders, breaches, proceedings and programme
referrals themselves; and the refresh job noticing a change to any of them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from birge.cases.models import Case, Incident, Part
from birge.cases.tests.factories import register_case
from birge.justice.models import OrderBreach, Proceeding, ProgrammeReferral, ProtectionOrder
from birge.reports import categories as cat
from birge.reports.facts import facts_refresh, quarter_of
from birge.reports.models import CaseFact
from birge.reports.statistics import ALL, TOTAL, publication_compute
from birge.reports.tests.test_figures import EARLIER

DECIDED = [None, "conviction", "acquittal", "dismissal", "reconciliation"]
STAGES = ["complaint", "investigation", "charge", "trial", "outcome"]
PROGRAMMES = [s for s, _label in ProgrammeReferral.Status.choices]


@pytest.fixture
def justice_cases(officer, outsider):
    """Twelve cases over two regions and two quarters; most with orders at some step (a
    breach on some), proceedings (an older one and a newer one on some), programmes."""
    today = timezone.localdate()
    made = []
    for i in range(12):
        actor = officer if i < 8 else outsider
        case = register_case(actor)
        perpetrator = case.participants.filter(part=Part.PERPETRATOR).first()
        person = perpetrator.person if perpetrator else case.participants.first().person
        agency = actor.agency
        common = {"case": case, "perpetrator": person, "recorded_by": actor}
        if i % 4 != 3:
            order = ProtectionOrder.objects.create(
                **common,
                order_type="short_term",
                issuing_agency=agency,
                applied_on=today if i % 2 else None,
                issued_on=today if i % 3 else None,
                served_at=timezone.now() if i % 3 == 1 else None,
            )
            if i % 5 == 1:
                incident = Incident.objects.create(
                    case=case,
                    occurred_on=today,
                    recorded_by=actor,
                    reporting_agency=agency,
                    forms=["physical"],
                )
                OrderBreach.objects.create(order=order, incident=incident, recorded_by=actor)
        if i % 3 != 2:
            # An older proceeding, then the latest, whose stage or outcome counts.
            Proceeding.objects.create(
                **common,
                kind="administrative",
                agency=agency,
                opened_on=today - timedelta(days=400),
                stage="outcome",
                outcome="dismissal",
            )
            stage = STAGES[i % 5]
            Proceeding.objects.create(
                **common,
                kind="criminal",
                agency=agency,
                opened_on=today - timedelta(days=i),
                stage=stage,
                outcome=(DECIDED[i % 5] or "") if stage == "outcome" else "",
            )
        if i % 2 == 0:
            ProgrammeReferral.objects.create(
                case=case,
                perpetrator=person,
                provider=agency,
                referred_on=today,
                status=PROGRAMMES[i % len(PROGRAMMES)],
                referred_by=actor,
            )
        made.append(case)
    Case.objects.filter(pk__in=[c.pk for c in made[::2]]).update(opened_at=EARLIER)
    return made


def _direct_counts() -> dict:
    counts: dict = {}

    def add(table, case, category, total=True):
        for region in (case.region_id, ALL):
            quarter = quarter_of(case.opened_at)
            counts[table, quarter, region, category] = (
                counts.get((table, quarter, region, category), 0) + 1
            )
            if total:
                counts[table, quarter, region, TOTAL] = (
                    counts.get((table, quarter, region, TOTAL), 0) + 1
                )

    for case in Case.objects.all():
        orders = ProtectionOrder.objects.filter(case=case)
        for step, present in (
            ("applied", orders.filter(applied_on__isnull=False).exists()),
            ("issued", orders.filter(issued_on__isnull=False).exists()),
            ("served", orders.filter(served_at__isnull=False).exists()),
            ("breached", OrderBreach.objects.filter(order__case=case).exists()),
        ):
            if present:
                add("orders", case, step, total=False)
        latest = Proceeding.objects.filter(case=case).order_by("-opened_on", "-id").first()
        if latest is None:
            add("proceeding", case, "none")
        elif latest.outcome:
            add("proceeding", case, latest.outcome)
        else:
            add("proceeding", case, "trial" if latest.stage == "outcome" else latest.stage)
        programme = ProgrammeReferral.objects.filter(case=case).order_by("-referred_on", "-id")
        add("programme", case, programme.first().status if programme.exists() else "none")
    return counts


def test_the_justice_tables_count_what_a_direct_count_gives(justice_cases):
    facts_refresh()
    truth = publication_compute(min_cell=0)
    expected = _direct_counts()
    for table in ("orders", "proceeding", "programme"):
        seen = 0
        for (quarter, region, category), figure in truth.figures[table].items():
            want = expected.get((table, quarter, region, category), 0)
            assert figure.value == want, (table, quarter, region, category)
            seen += want
        assert seen > 0, table
    # Every category the data gives appears in the table (none falls outside its codes).
    codes = {
        "orders": [c for c, _l in cat.ORDERS],
        "proceeding": [c for c, _l in cat.PROCEEDING],
        "programme": [c for c, _l in cat.PROGRAMME],
    }
    for table, _quarter, _region, category in expected:
        assert category == TOTAL or category in codes[table]
    assert sum(
        f.value for (q, r, c), f in truth.figures["proceeding"].items() if r == ALL and c == TOTAL
    ) == len(justice_cases)


def test_the_job_notices_a_new_order_proceeding_or_programme(officer):
    case = register_case(officer)
    person = case.participants.first().person
    facts_refresh()
    assert CaseFact.objects.get(case=case).orders == 0
    common = {"case": case, "perpetrator": person, "recorded_by": officer}
    ProtectionOrder.objects.create(
        **common,
        order_type="short_term",
        issuing_agency=officer.agency,
        applied_on=timezone.localdate(),
    )
    assert facts_refresh() == 1
    assert CaseFact.objects.get(case=case).orders == 1  # applied for
    Proceeding.objects.create(
        **common, kind="criminal", agency=officer.agency, opened_on=timezone.localdate()
    )
    ProgrammeReferral.objects.create(
        case=case,
        perpetrator=person,
        provider=officer.agency,
        referred_on=timezone.localdate(),
        referred_by=officer,
    )
    assert facts_refresh() == 1
    fact = CaseFact.objects.get(case=case)
    assert (fact.proceeding, fact.programme) == ("complaint", "referred")
