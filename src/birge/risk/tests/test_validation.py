"""Validation against outcomes: the metrics, the report's rules, and the known model."""

import dataclasses
import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from birge.cases.models import Case
from birge.risk.models import RiskAssessment
from birge.risk.synthetic import DEFAULT_MODEL, RiskModel, assessments_generate
from birge.risk.tests.validation_data import Writer, at, instrument_version
from birge.risk.validation import (
    LEVELS,
    Figure,
    auc,
    auc_from_counts,
    confusion_at,
    months_before,
    validation_report,
)

STANDARD, MEDIUM, HIGH, CRITICAL = LEVELS
NOW = at(date(2025, 6, 15), 12)  # 12-month cut-off: 2024-06-15 12:00
OLD = date(2024, 1, 10)  # eligible for every horizon


def _brute_auc(pos, neg):
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


# --- Pure functions ------------------------------------------------------------------------


def test_auc_matches_the_pairwise_definition_with_ties():
    rng = random.Random(7)
    for _ in range(20):
        pos = [rng.randrange(6) for _ in range(rng.randrange(1, 40))]
        neg = [rng.randrange(6) for _ in range(rng.randrange(1, 40))]
        assert auc(pos, neg) == pytest.approx(_brute_auc(pos, neg))


def test_auc_edges():
    assert auc([], [1, 2]) is None
    assert auc([1], []) is None
    assert auc([3, 3], [3]) == 0.5
    assert auc([2, 3], [0, 1]) == 1.0
    assert auc([0], [1]) == 0.0
    assert auc_from_counts({0: (1, 3), 1: (1, 2), 2: (1, 1), 3: (1, 0)}) == pytest.approx(17 / 24)


def test_confusion_at_each_threshold():
    positives, negatives = [1, 1, 1, 1], [3, 2, 1, 0]
    medium = confusion_at(1, positives, negatives)
    assert (medium.tp, medium.fn, medium.fp, medium.tn) == (3, 1, 3, 3)
    assert (medium.sensitivity, medium.specificity) == (0.75, 0.5)
    critical = confusion_at(3, positives, negatives)
    assert (critical.sensitivity, critical.specificity) == (0.25, 1.0)
    assert confusion_at(0, [0, 0], [0, 0]).sensitivity is None
    with pytest.raises(ValueError):
        confusion_at(5, positives, negatives)


def test_months_before_clamps_the_day():
    end_of_march = at(date(2024, 3, 31), 15)
    assert months_before(end_of_march, 1) == at(date(2024, 2, 29), 15)
    assert months_before(end_of_march, 13) == at(date(2023, 2, 28), 15)
    assert months_before(at(date(2025, 1, 20)), 12) == at(date(2024, 1, 20))


# --- The report on hand-made data ------------------------------------------------------------


@pytest.fixture
def version(db):
    return instrument_version()


@pytest.fixture
def write(officer, version):
    return Writer(officer, version)


def test_hand_checked_metrics_and_what_is_left_out(write, officer):
    # standard: 4 (1 outcome), medium: 3 (1), high: 2 (1), critical: 1 (1).
    for level, count, outcomes in (
        (STANDARD, 4, 1),
        (MEDIUM, 3, 1),
        (HIGH, 2, 1),
        (CRITICAL, 1, 1),
    ):
        for i in range(count):
            write.assessment(level, OLD, incidents_after=(30,) if i < outcomes else ())
    # Not new: an incident on the assessment's day or before it is no outcome.
    case = write.case(OLD - timedelta(days=20))
    write.incident(case, OLD - timedelta(days=5))
    write.incident(case, OLD)
    write.assessment(STANDARD, OLD, case=case)
    # Left out: a draft, one waiting for approval, another version's, one too recent.
    write.assessment(CRITICAL, OLD, status=RiskAssessment.Status.DRAFT, incidents_after=(3,))
    write.assessment(
        CRITICAL, OLD, status=RiskAssessment.Status.PENDING_APPROVAL, incidents_after=(3,)
    )
    other = instrument_version("other-instrument")
    write.assessment(CRITICAL, OLD, version=other, incidents_after=(3,))
    write.assessment(CRITICAL, date(2025, 4, 1), incidents_after=(3,))

    report = validation_report(instrument_version=write.version, horizons=(3,), min_cell=0, now=NOW)

    (h,) = report.horizons
    assert h.months == 3
    assert h.n == Figure(11) and h.outcomes == Figure(4)
    # Pairs: 4 positives (one per level) x 7 negatives (4 standard, 2 medium, 1 high).
    # U = standard 4 x 0.5 + medium (4 + 2 x 0.5) + high (6 + 0.5) + critical 7 = 20.5
    assert h.auc_level.value == pytest.approx(20.5 / 28)
    positives, negatives = [1, 1, 1, 1], [4, 2, 1, 0]
    assert h.auc_level.value == pytest.approx(
        _brute_auc(
            [i for i, n in enumerate(positives) for _ in range(n)],
            [i for i, n in enumerate(negatives) for _ in range(n)],
        )
    )
    expected = {MEDIUM: (3 / 4, 4 / 7), HIGH: (2 / 4, 6 / 7), CRITICAL: (1 / 4, 7 / 7)}
    for row in h.thresholds:
        assert (row.sensitivity.value, row.specificity.value) == pytest.approx(expected[row.level])
    rates = {row.level: (row.n.value, row.outcomes.value, row.rate.value) for row in h.calibration}
    assert rates == {
        STANDARD: (5, 1, 1 / 5),
        MEDIUM: (3, 1, 1 / 3),
        HIGH: (2, 1, 1 / 2),
        CRITICAL: (1, 1, 1.0),
    }
    assert h.auc_score is None  # no assessment carried a score


def test_horizons_count_their_own_assessments_and_outcomes(write):
    write.assessment(HIGH, OLD, score=15, incidents_after=(120,))  # ~4 months later
    write.assessment(STANDARD, OLD, score=3, incidents_after=(200,))  # ~6.5 months later
    write.assessment(STANDARD, OLD, score=2, incidents_after=(400,))  # past 12 months
    write.assessment(MEDIUM, date(2024, 10, 1), score=11, incidents_after=(10,))  # not 12

    report = validation_report(instrument_version=write.version, min_cell=0, now=NOW)

    counts = {h.months: (h.n.value, h.outcomes.value) for h in report.horizons}
    assert counts == {3: (4, 1), 6: (4, 2), 12: (3, 2)}
    by_months = {h.months: h for h in report.horizons}
    # 6 months: positives high(15), medium(11); negatives standard(3, 2).
    assert by_months[6].auc_level.value == 1.0
    assert by_months[6].auc_score.value == 1.0
    # 12 months: positives high(15), standard(3); negative standard(2).
    assert by_months[12].auc_level.value == pytest.approx((1 + 0.5) / 2)
    assert by_months[12].auc_score.value == 1.0


def test_the_computed_level_can_be_validated_instead(write):
    write.assessment(HIGH, OLD, computed_level=STANDARD, incidents_after=(20,))
    write.assessment(STANDARD, OLD, computed_level=HIGH)
    final = validation_report(instrument_version=write.version, horizons=(3,), min_cell=0, now=NOW)
    computed = validation_report(
        instrument_version=write.version,
        horizons=(3,),
        min_cell=0,
        now=NOW,
        level_field="computed_level",
    )
    assert final.horizons[0].auc_level.value == 1.0
    assert computed.horizons[0].auc_level.value == 0.0


def test_small_levels_are_reported_with_their_neighbour(write):
    write.many(STANDARD, OLD, count=60, outcomes=12)
    write.many(MEDIUM, OLD, count=30, outcomes=15)
    write.many(HIGH, OLD, count=24, outcomes=12)
    write.many(CRITICAL, OLD, count=4, outcomes=3)  # everything below 10

    report = validation_report(instrument_version=write.version, horizons=(3,), now=NOW)

    assert report.min_cell == 10
    (h,) = report.horizons
    assert h.n == Figure(118) and h.outcomes == Figure(42)
    assert h.merged
    rows = {row.levels: row for row in h.calibration}
    assert set(rows) == {(STANDARD,), (MEDIUM,), (HIGH, CRITICAL)}
    assert rows[(STANDARD,)].n == Figure(60) and rows[(STANDARD,)].outcomes == Figure(12)
    assert rows[(STANDARD,)].rate.value == pytest.approx(0.2)
    assert rows[(HIGH, CRITICAL)].n == Figure(28) and rows[(HIGH, CRITICAL)].outcomes == Figure(15)
    # No threshold "at least critical": it would give the critical row away.
    assert [row.level for row in h.thresholds] == [MEDIUM, HIGH]
    thresholds = {row.level: row for row in h.thresholds}
    assert thresholds[HIGH].sensitivity.value == pytest.approx(15 / 42)
    assert thresholds[HIGH].specificity.value == pytest.approx(63 / 76)
    # The AUC is the merged table's, computed from the rows shown.
    assert h.auc_level.value == pytest.approx(
        auc_from_counts({0: (12, 48), 1: (15, 15), 2: (15, 13)})
    )
    # Every figure has its interval around it.
    for figure in (h.rate, h.auc_level, thresholds[HIGH].sensitivity):
        assert figure.low <= figure.value <= figure.high


def test_too_few_outcomes_suppress_the_auc_and_the_totals(write, settings):
    settings.BIRGE_STATS_MIN_CELL = 5
    write.many(STANDARD, OLD, count=20, outcomes=2)
    write.many(HIGH, OLD, count=10, outcomes=2)

    (h,) = validation_report(instrument_version=write.version, horizons=(6,), now=NOW).horizons

    assert h.n == Figure(30)
    assert h.outcomes.suppressed and h.rate.suppressed and h.auc_level.suppressed
    assert h.auc_level.value is None


def test_the_report_holds_aggregates_only(write):
    write.many(STANDARD, OLD, count=30, outcomes=10, score=4)
    write.many(HIGH, OLD, count=30, outcomes=20, score=15)
    report = validation_report(instrument_version=write.version, now=NOW)

    def names(value, found):
        if dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                found.add(item.name)
                names(getattr(value, item.name), found)
        elif isinstance(value, tuple | list):
            for item in value:
                names(item, found)
        return found

    fields = names(report, set())
    assert not {name for name in fields if "case" in name or "person" in name}
    case_ids = set(Case.objects.values_list("id", flat=True))
    figures = [row.n.value for h in report.horizons for row in h.calibration if row.n.shown]
    assert figures and set(figures) == {30}
    assert len(case_ids) == 60


# --- The known model -----------------------------------------------------------------------


def test_the_models_truth_is_self_consistent():
    truth = DEFAULT_MODEL.truth(6)
    total = sum(p + q for p, q in truth.by_score.values())
    assert total == pytest.approx(1.0, abs=1e-6)
    assert 0.5 < truth.auc_level < truth.auc_score < 1.0
    # No signal, no discrimination.
    flat = RiskModel(effect=0.0).truth(6)
    assert flat.auc_level == pytest.approx(0.5, abs=1e-6)
    assert flat.auc_score == pytest.approx(0.5, abs=1e-6)


CASES = 20_000


@pytest.fixture
def known_model_data(officer, version):
    """20,000 bare cases opened 13 to 36 months ago, then the model's assessments."""
    rng = random.Random(11)
    now = timezone.now()
    Case.objects.bulk_create(
        [
            Case(
                owning_agency=officer.agency,
                region=officer.agency.region,
                created_by=officer,
                opened_at=now - timedelta(days=rng.randrange(400, 1100)),
            )
            for _ in range(CASES)
        ],
        batch_size=2000,
    )
    result = assessments_generate(instrument_version=version, seed=5, now=now)
    return result, now


def test_the_report_recovers_the_known_auc(known_model_data, version):
    result, now = known_model_data
    assert result.assessments == CASES
    sample = RiskAssessment.objects.filter(instrument_version=version).first()
    assert sample.status == RiskAssessment.Status.SUBMITTED
    assert sample.final_level == sample.computed_level
    assert sample.final_level in LEVELS and sample.score is not None
    assert sample.case.opened_at <= sample.submitted_at <= now
    # Generating again adds nothing: every case has its assessment.
    assert assessments_generate(instrument_version=version, now=now).assessments == 0

    report = validation_report(instrument_version=version, now=now)

    for h in report.horizons:
        truth = DEFAULT_MODEL.truth(h.months)
        assert h.n.value == CASES
        assert h.rate.value == pytest.approx(truth.prevalence, abs=0.02)
        assert h.auc_level.value == pytest.approx(truth.auc_level, abs=0.02)
        assert h.auc_score.value == pytest.approx(truth.auc_score, abs=0.02)
        # The intervals contain the truth (this one sample; the coverage over many
        # samples is test_validation_statistics' business).
        assert h.auc_level.low <= truth.auc_level <= h.auc_level.high
        for row in h.calibration:
            p = sum(truth.by_level[level][0] for level in row.levels)
            q = sum(truth.by_level[level][1] for level in row.levels)
            assert row.rate.value == pytest.approx(p / (p + q), abs=0.05)
        # The checklist never computes "critical", and neither does its model.
        assert all(CRITICAL not in row.levels for row in h.calibration)
