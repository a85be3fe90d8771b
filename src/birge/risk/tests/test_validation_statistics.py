"""The validation report as a statistician reads it: intervals that cover the truth at
their nominal rate, censoring at closure, one month arithmetic on both databases,
outcomes by severity, odds ratios per question, results by region and agency, the CSV
export; and suppression that no solver can undo."""

import calendar
import csv
import io
import math
import random
import zipfile
from datetime import date, timedelta

import numpy as np
import pytest
from django.test import Client

from birge.agencies.tests.factories import AgencyFactory, RegionFactory, UserFactory
from birge.audit.models import AuditEvent
from birge.cases.models import Case, Incident
from birge.privacy.tests.solver import solve_range
from birge.risk.engine import score as engine_score
from birge.risk.engine.loading import shipped_instruments
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.risk.synthetic import DEFAULT_MODEL, RiskModel, _answered, assessments_generate
from birge.risk.tests.validation_data import Writer, at, instrument_version
from birge.risk.validation import (
    LEVELS,
    HorizonReport,
    _group_rows,
    _level_table,
    _Table,
    months_before,
    validation_report,
)

STANDARD, MEDIUM, HIGH, CRITICAL = LEVELS
NOW = at(date(2025, 6, 15), 12)
OLD = date(2024, 1, 10)
L = len(LEVELS)


# --- The solver (birge.privacy.tests.solver): can a hidden cell be worked out? ----------


def _ratio_row(numerator: list[int], denominator: list[int], value: float) -> list[float]:
    """numerator − value·denominator = 0 over the 2L cells (indices into pos then neg)."""
    row = [0.0] * (2 * L)
    for i in numerator:
        row[i] += 1
    for i in denominator:
        row[i] -= value
    return row


def assert_table_not_recoverable(h: HorizonReport, pos: list[int], neg: list[int], min_cell: int):
    """Every published figure of the table becomes a linear equation over its 2L true
    cells (rates as exact ratios: more than the rounded page gives away); each cell not
    shown on its own must then still range over more than one value."""
    rows, rhs = [], []

    def eq(row, value=0.0):
        rows.append(row)
        rhs.append(value)

    cells_pos = list(range(L))
    cells_neg = list(range(L, 2 * L))
    everything = cells_pos + cells_neg
    if h.n.shown:
        eq([1.0] * (2 * L), h.n.value)
    if h.outcomes.shown:
        eq([1.0] * L + [0.0] * L, h.outcomes.value)
    if h.rate.shown:
        eq(_ratio_row(cells_pos, everything, h.rate.value))
    listed = {LEVELS.index(level) for row in h.calibration for level in row.levels}
    if h.calibration:
        for i in set(range(L)) - listed:  # a level not listed had no assessment
            eq([1.0 if k in (i, L + i) else 0.0 for k in range(2 * L)])
    for row in h.calibration:
        idx = [LEVELS.index(level) for level in row.levels]
        p_cells, n_cells = idx, [L + i for i in idx]
        assert row.n.shown and row.outcomes.shown
        # Primary suppression: nothing shown rests on fewer than min_cell.
        assert sum(pos[i] for i in idx) >= min_cell and sum(neg[i] for i in idx) >= min_cell
        eq([1.0 if k in p_cells + n_cells else 0.0 for k in range(2 * L)], row.n.value)
        eq([1.0 if k in p_cells else 0.0 for k in range(2 * L)], row.outcomes.value)
        eq(_ratio_row(p_cells, p_cells + n_cells, row.rate.value))
    for row in h.thresholds:
        k = LEVELS.index(row.level)
        if row.sensitivity.shown:
            eq(_ratio_row(list(range(k, L)), cells_pos, row.sensitivity.value))
        if row.specificity.shown:
            eq(_ratio_row([L + i for i in range(k)], cells_neg, row.specificity.value))
    singles = {LEVELS.index(row.levels[0]) for row in h.calibration if len(row.levels) == 1}
    hidden = [i for i in range(L) if i not in singles and pos[i] + neg[i] > 0]
    if not rows:
        return
    a_eq, b_eq = np.array(rows), np.array(rhs)
    for i in hidden:
        for cell in (i, L + i):
            low, high = solve_range(a_eq, b_eq, 2 * L, cell)
            assert high - low >= 1 - 1e-6, (
                f"{LEVELS[i]} {'outcomes' if cell < L else 'non-outcomes'} recoverable: "
                f"[{low}, {high}] from {h}"
            )


def assert_groups_not_recoverable(
    rows, tables: dict[int, _Table], overall: HorizonReport, min_cell: int
):
    """Groups (regions, agencies) against the totals the overall table shows."""
    keys = sorted(tables)
    totals = {key: tables[key].totals() for key in keys}
    outcomes = {key: sum(totals[key][0]) for key in keys}
    others = {key: sum(totals[key][1]) for key in keys}
    shown = {row.key: row for row in rows if row.n.shown}
    for key, row in shown.items():
        assert outcomes[key] >= min_cell and others[key] >= min_cell
        assert row.outcomes.value == outcomes[key]
    hidden = [key for key in keys if key not in shown]
    if not hidden:
        return
    # Unknowns: each hidden group's outcomes (first) and non-outcomes; what is known: the
    # overall figures shown, minus the shown groups.
    h = len(hidden)
    variables = 2 * h
    rows_, rhs = [], []
    shown_n = sum(outcomes[k] + others[k] for k in shown)
    shown_p = sum(outcomes[k] for k in shown)
    if overall.n.shown:
        rows_.append([1.0] * variables)
        rhs.append(overall.n.value - shown_n)
    if overall.outcomes.shown:
        rows_.append([1.0 if v < h else 0.0 for v in range(variables)])
        rhs.append(overall.outcomes.value - shown_p)
    if not rows_:
        return
    for v in range(variables):
        low, high = solve_range(np.array(rows_), np.array(rhs), variables, v)
        assert high - low >= 1 - 1e-6, f"hidden group recoverable: [{low}, {high}]"


def _sum_tables(tables) -> _Table:
    total = _Table()
    for table in tables:
        total.levels.update(table.levels)
    return total


def _random_table(rng: random.Random) -> tuple[_Table, list[int], list[int]]:
    """A random table: 5 to 400 cases with 1 to 3 assessments, levels and outcomes
    skewed at random, so that every shape of small cells turns up."""
    weights = [rng.random() ** 3 for _ in range(L)]
    risk = [rng.random() for _ in range(L)]
    table = _Table()
    for _ in range(rng.randrange(5, 400)):
        vector = [0] * (2 * L)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            level = rng.choices(range(L), weights)[0]
            vector[level + (0 if rng.random() < risk[level] else L)] += 1
        table.levels[tuple(vector)] += 1
    pos, neg = table.totals()
    return table, pos, neg


@pytest.mark.parametrize("min_cell", [5, 10])
def test_no_suppressed_cell_of_random_tables_can_be_solved_for(min_cell):
    rng = random.Random(min_cell)
    for round_ in range(150):
        table, pos, neg = _random_table(rng)
        h = _level_table(table, 6, "any", min_cell, replicates=50, seed=round_)
        assert_table_not_recoverable(h, pos, neg, min_cell)
        # And groups of such tables against their totals.
        groups = {key: _random_table(rng)[0] for key in range(rng.randrange(1, 7))}
        rows = _group_rows(groups, 6, min_cell, replicates=20, seed=round_)
        overall = _level_table(_sum_tables(groups.values()), 6, "any", min_cell, 20, round_)
        assert_groups_not_recoverable(rows, groups, overall, min_cell)


def test_the_old_reversible_case_is_no_longer_reversible():
    """The issue's example: three levels shown, one hidden row at 12 months, and the
    sensitivity, specificity and totals that gave it away."""
    table = _Table()
    for level, p, q in ((0, 30, 90), (1, 15, 25), (2, 12, 14), (3, 4, 2)):
        table.levels[tuple(1 if k == level else 0 for k in range(2 * L))] += p
        table.levels[tuple(1 if k == L + level else 0 for k in range(2 * L))] += q
    pos, neg = table.totals()
    h = _level_table(table, 12, "any", 10, replicates=50, seed=1)
    assert [row.levels for row in h.calibration][-1] == (HIGH, CRITICAL)
    assert_table_not_recoverable(h, pos, neg, 10)


@pytest.fixture
def demo_like(db):
    """Synthetic cases in three regions and three agencies, some closed, with the model's
    assessments (two per case) and incidents: the demo's shape, at a test's size."""
    regions = [RegionFactory(code=f"r{i}", name_en=f"Region {i}") for i in range(3)]
    agencies = [AgencyFactory(code=f"a{i}", region=regions[i]) for i in range(3)]
    users = [UserFactory(username=f"u{i}", agency=agencies[i]) for i in range(3)]
    rng = random.Random(3)
    now = at(date(2026, 6, 1), 12)
    cases = []
    for _ in range(900):
        i = rng.choices(range(3), (8, 3, 1))[0]
        opened = now - timedelta(days=rng.randrange(420, 1100))
        closed = opened + timedelta(days=rng.randrange(60, 900)) if rng.random() < 0.3 else None
        cases.append(
            Case(
                owning_agency=agencies[i],
                region=regions[rng.choices(range(3), (5, 4, 1))[0]],
                created_by=users[i],
                opened_at=opened,
                closed_at=closed if closed and closed < now else None,
                status=Case.Status.CLOSED if closed and closed < now else Case.Status.OPEN,
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    version = InstrumentVersion.objects.get(instrument_id="birge-checklist", version="2")
    assessments_generate(instrument_version=version, count_per_case=2, seed=9, now=now)
    return version, now


def _true_cells(version, now, months, level_field="final_level"):
    """The table's true cells, recomputed here from the rows (any new incident)."""
    pos, neg = [0] * L, [0] * L

    def tz_day(moment):
        return moment.astimezone(at(OLD).tzinfo).date()

    for a in RiskAssessment.objects.filter(instrument_version=version, status="submitted"):
        day = tz_day(a.submitted_at)
        end = _plus_months(day, months)
        if a.submitted_at > months_before(now, months):  # its time has not come
            continue
        closed = tz_day(a.case.closed_at) if a.case.closed_at else None
        first = (
            Incident.objects.filter(case=a.case, occurred_on__gt=day, occurred_on__lte=end)
            .filter(**({"occurred_on__lte": closed} if closed else {}))
            .order_by("occurred_on")
            .first()
        )
        level = LEVELS.index(getattr(a, level_field) or a.computed_level)
        if first:
            pos[level] += 1
        elif closed is None or end <= closed:
            neg[level] += 1
    return pos, neg


def _plus_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def test_the_demo_shape_report_hides_nothing_that_can_be_solved_for(demo_like):
    version, now = demo_like
    report = validation_report(instrument_version=version, now=now, replicates=100)
    for h in report.horizons:
        pos, neg = _true_cells(version, now, h.months)
        assert h.n.value == sum(pos) + sum(neg)  # the report counts what we count
        assert_table_not_recoverable(h, pos, neg, report.min_cell)
    for breakdown in (report.by_region, report.by_agency):
        for rows in breakdown.values():
            hidden = [row for row in rows if not row.n.shown]
            assert len(hidden) != 1  # one hidden group would follow from the totals
            assert len(rows) == 3


# --- Intervals that mean what they say -----------------------------------------------------


def test_intervals_cover_the_true_auc_at_the_nominal_rate():
    """300 samples of 250 women with two assessments each from the known model: the
    95% interval of the level's AUC contains the model's true AUC in about 95% of them
    (within what 300 samples allow: 88% to 99%)."""
    model = DEFAULT_MODEL
    months = 6
    truth = model.truth(months).auc_level
    rng = random.Random(2026)
    covered = 0
    samples = 300
    for sample in range(samples):
        table = _Table()
        for _ in range(250):
            r = rng.gauss(0, 1)
            p_outcome = 1 - math.exp(-model.monthly_rate(r) * months)
            vector = [0] * (2 * L)
            for _ in range(2):
                level = LEVELS.index(model.level_of(model.score_of(r + rng.gauss(0, model.noise))))
                vector[level + (0 if rng.random() < p_outcome else L)] += 1
            table.levels[tuple(vector)] += 1
        h = _level_table(table, months, "any", 0, replicates=400, seed=sample)
        covered += h.auc_level.low <= truth <= h.auc_level.high
    assert 0.88 <= covered / samples <= 0.99, covered / samples


def test_an_auc_whose_interval_includes_chance_says_not_enough_data():
    """The page says "not enough data yet" rather than a figure where the interval of
    the AUC includes 0.5, and writes each figure with the decimals its interval allows."""
    from django.utils import translation

    from birge.risk.validation import Estimate
    from birge.risk.views_validation import shown

    translation.activate("en")

    assert shown(Estimate(0.56, low=0.47, high=0.66), auc=True).insufficient
    decided = shown(Estimate(0.724, low=0.68, high=0.77), auc=True)
    assert not decided.insufficient and decided.text == "0.72"
    assert shown(Estimate(0.7, low=0.45, high=0.95), auc=True).text == "0.7"
    assert shown(Estimate(0.2345, low=0.2, high=0.27), percent=True).text == "23%"
    translation.activate("az")
    assert shown(Estimate(0.724, low=0.68, high=0.77), auc=True).text == "0,72"
    translation.deactivate()


# --- Censoring, month ends, severity -------------------------------------------------------


@pytest.fixture
def write(officer):
    return Writer(officer, instrument_version())


def test_a_case_closed_before_the_window_ended_is_left_out_not_counted_as_safe(write):
    quiet = write.assessment(STANDARD, OLD)  # open, nothing happened: no outcome
    closed = write.assessment(HIGH, OLD)  # closed after a month, nothing before
    Case.objects.filter(pk=closed.case_id).update(closed_at=at(OLD + timedelta(days=30)))
    hurt = write.assessment(HIGH, OLD, incidents_after=(10,))  # an incident, then closed
    Case.objects.filter(pk=hurt.case_id).update(closed_at=at(OLD + timedelta(days=40)))

    (h,) = validation_report(
        instrument_version=write.version, horizons=(3,), min_cell=0, now=NOW
    ).horizons

    assert (h.n.value, h.outcomes.value, h.censored.value) == (2, 1, 1)
    assert quiet.pk and h.auc_level.value == 1.0


@pytest.mark.parametrize(
    ("incident_on", "within"), [(date(2024, 11, 30), True), (date(2024, 12, 1), False)]
)
def test_month_ends_are_the_same_on_every_database(write, incident_on, within):
    """31 August + 3 months is 30 November, on SQLite as on PostgreSQL."""
    case = write.case(date(2024, 8, 1))
    write.assessment(HIGH, date(2024, 8, 31), case=case)
    write.incident(case, incident_on)
    (h,) = validation_report(
        instrument_version=write.version, horizons=(3,), min_cell=0, now=NOW
    ).horizons
    assert h.outcomes.value == (1 if within else 0)


def test_outcomes_are_graded_by_severity(write):
    shouted = write.assessment(STANDARD, OLD)
    Incident.objects.create(
        case=shouted.case,
        occurred_on=OLD + timedelta(days=9),
        forms=["psychological"],
        reporting_agency=write.user.agency,
        recorded_by=write.user,
    )
    hit = write.assessment(HIGH, OLD)
    Incident.objects.create(
        case=hit.case,
        occurred_on=OLD + timedelta(days=9),
        forms=["physical"],
        reporting_agency=write.user.agency,
        recorded_by=write.user,
    )
    hurt = write.assessment(CRITICAL, OLD)
    Incident.objects.create(
        case=hurt.case,
        occurred_on=OLD + timedelta(days=9),
        forms=["psychological"],
        weapon="used",
        injuries=True,
        reporting_agency=write.user.agency,
        recorded_by=write.user,
    )
    write.assessment(STANDARD, OLD)

    report = validation_report(instrument_version=write.version, horizons=(3,), min_cell=0, now=NOW)

    outcomes = {grade: tables[0].outcomes.value for grade, tables in report.tables.items()}
    assert outcomes == {"any": 3, "violent": 2, "grave": 1}
    assert report.tables["grave"][0].auc_level.value == 1.0  # only the critical one


# --- Questions, regions, agencies ------------------------------------------------------------


def test_odds_ratios_of_the_questions(write):
    """Item "x": yes 30 (20 with an incident), no 40 (10 with): OR = (20·30)/(10·10) = 6."""

    def assess(answer, outcome, count):
        for _ in range(count):
            a = write.assessment(MEDIUM, OLD, incidents_after=(20,) if outcome else ())
            RiskAssessment.objects.filter(pk=a.pk).update(answers={"x": answer, "y": "unknown"})

    assess("yes", True, 20)
    assess("yes", False, 10)
    assess("no", True, 10)
    assess("no", False, 30)

    report = validation_report(
        instrument_version=write.version, horizons=(3,), now=NOW, items=True, replicates=200
    )

    odds = {row.item: row.odds[0] for row in report.odds}
    assert odds["x"].value == pytest.approx(6.0)
    assert odds["x"].low < 6.0 < odds["x"].high
    assert odds["y"].suppressed  # never answered yes or no


def test_regions_below_the_threshold_are_hidden_with_a_complement(officer):
    version = instrument_version()
    big, middle, small = (RegionFactory(code=c) for c in ("big", "middle", "small"))
    for region, count, outcomes in ((big, 60, 20), (middle, 40, 15), (small, 8, 3)):
        write = Writer(officer, version)
        write.many(STANDARD, OLD, count=count // 2, outcomes=outcomes // 2)
        write.many(HIGH, OLD, count=count - count // 2, outcomes=outcomes - outcomes // 2)
        Case.objects.filter(region=officer.agency.region).update(region=region)
    report = validation_report(instrument_version=version, horizons=(3,), now=NOW)
    rows = {row.key: row for row in report.by_region[3]}
    assert rows[small.pk].n.suppressed
    # With the total shown, one hidden region would follow; the next smallest goes too.
    assert rows[middle.pk].n.suppressed
    assert rows[big.pk].n.value == 60 and rows[big.pk].outcomes.value == 20
    assert report.horizons[0].n.value == 108


# --- The model is the checklist's -------------------------------------------------------------


def test_the_synthetic_model_has_the_checklists_bands():
    checklist = next(
        i for i in shipped_instruments() if i.id == "birge-checklist" and i.version == "2"
    )
    assert RiskModel.for_instrument(checklist) == DEFAULT_MODEL
    # No band the checklist never computes.
    assert {level for _, level in DEFAULT_MODEL.bands} == {MEDIUM, HIGH}
    assert DEFAULT_MODEL.truth(6).by_level[CRITICAL] == (0.0, 0.0)
    # Answers drawn for a score get the model's level from the real engine.
    rng = random.Random(1)
    for score in range(DEFAULT_MODEL.score_max + 1):
        answers, engine_points, level, _ = _answered(rng, checklist, score)
        assert engine_points == score
        assert level == DEFAULT_MODEL.level_of(score) == engine_score(checklist, answers).level


# --- The export ---------------------------------------------------------------------------------


def test_the_csv_export_is_aggregates_audited_and_safe_to_open(analyst, sign_in, officer):
    version = instrument_version()
    officer.agency.name_en = '=HYPERLINK("http://example.invalid")'
    officer.agency.save()
    write = Writer(officer, version)
    write.many(STANDARD, OLD, count=40, outcomes=10)
    write.many(HIGH, OLD, count=30, outcomes=15)
    client = Client()
    client.cookies["birge_language"] = "en"
    sign_in(client, analyst)

    response = client.get("/risk/validation/export.csv", {"version": version.pk})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    head = {row[0]: row[1] for row in rows[:8] if len(row) > 1}
    assert head["Birge"].startswith("Birge validation report")
    assert "Extracted" in head and "Instrument version" in head
    start = rows.index(
        ["section", "months", "outcome", "group", "measure", "unit", "value", "low", "high"]
    )
    data = rows[start + 1 :]
    overall = {(r[1], r[2], r[4]): r[6] for r in data if r[0] == "overall"}
    assert overall[("3", "any", "n")] == "70" and overall[("3", "any", "outcomes")] == "25"
    # A rate as the page shows it: percent, rounded to its interval's places.
    assert float(overall[("3", "any", "rate")]) == pytest.approx(100 * 25 / 70, abs=0.5)
    agencies = [r for r in data if r[0] == "agency"]
    assert agencies and all(r[3].startswith("'=") for r in agencies)
    event = AuditEvent.objects.get(action="figures.exported", actor=analyst)
    assert event.data["report"] == "risk_validation" and event.data["format"] == "csv"


def test_the_xlsx_export_has_the_same_figures_and_no_live_formula(analyst, sign_in, officer):
    version = instrument_version()
    officer.agency.name_en = '=HYPERLINK("http://example.invalid")'
    officer.agency.save()
    write = Writer(officer, version)
    write.many(STANDARD, OLD, count=40, outcomes=10)
    write.many(HIGH, OLD, count=30, outcomes=15)
    client = Client()
    client.cookies["birge_language"] = "en"
    sign_in(client, analyst)

    response = client.get("/risk/validation/export.xlsx", {"version": version.pk})

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml
    assert "'=HYPERLINK" in xml
    assert AuditEvent.objects.filter(action="figures.exported", data__format="xlsx").count() == 1


@pytest.mark.parametrize("who", ["officer", "outsider", "lead", "auditor", "admin"])
def test_others_cannot_export(request, sign_in, who, db):
    version = instrument_version()
    client = Client()
    sign_in(client, request.getfixturevalue(who))
    for extension in ("csv", "xlsx"):
        url = f"/risk/validation/export.{extension}"
        assert client.get(url, {"version": version.pk}).status_code == 404
    assert not AuditEvent.objects.filter(action="figures.exported").exists()
