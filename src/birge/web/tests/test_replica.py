"""The read replica: reports read from it inside `reads_from_replica` while it is fit (a
standby, reachable, at most BIRGE_REPLICA_MAX_LAG seconds behind); everything else, and
every write, on the primary; a replica that is absent, lagging, a primary or unreachable
is passed over without a server error."""

import time
from datetime import date

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from birge.agencies.models import Agency
from birge.audit.models import AuditEvent
from birge.risk.models import RiskAssessment
from birge.risk.tests.validation_data import Writer, instrument_version
from birge.web import replica
from birge.web.replica import REPLICA, Verdict, judge, reads_from_replica

VALIDATION = "/risk/validation/"
on_postgresql = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="a PostgreSQL replica"
)


@pytest.fixture(autouse=True)
def _fresh_verdict():
    replica.forget_verdict()
    yield
    replica.forget_verdict()


@pytest.fixture
def fit(monkeypatch):
    """The replica says it is a standby 1 second behind, without being asked."""
    calls = []

    def probe() -> Verdict:
        calls.append(1)
        return judge(in_recovery=True, lag=1, checked_at=time.monotonic())

    monkeypatch.setattr(replica, "probe", probe)
    return calls


@pytest.fixture
def report_data(officer):
    version = instrument_version("replica-test", "1")
    write = Writer(officer, version)
    old = date(2024, 1, 10)
    write.many("standard", old, count=30, outcomes=10, score=5)
    write.many("high", old, count=30, outcomes=15, score=15)
    return version


def read_alias() -> str:
    return router.db_for_read(Agency)


# --- Where a read goes -------------------------------------------------------------------


def test_without_a_replica_every_read_goes_to_the_primary(db):
    assert reads_from_replica(read_alias)() == "default"
    assert replica.verdict().reason == "absent"


def test_a_fit_replica_serves_only_the_reads_inside_reads_from_replica(replica_at, fit):
    replica_at("closed")  # never asked: `fit` answers for it

    assert reads_from_replica(read_alias)() == REPLICA
    assert read_alias() == "default"
    assert reads_from_replica(lambda: router.db_for_write(Agency))() == "default"
    assert router.allow_migrate("default", "agencies")
    assert not router.allow_migrate(REPLICA, "agencies")


def test_the_verdict_is_kept_between_checks(replica_at, fit, settings):
    replica_at("closed")
    settings.BIRGE_REPLICA_CHECK_SECONDS = 3600
    for _ in range(3):
        reads_from_replica(read_alias)()
    assert len(fit) == 1

    settings.BIRGE_REPLICA_CHECK_SECONDS = 0
    for _ in range(3):
        reads_from_replica(read_alias)()
    assert len(fit) == 4


# --- Fit or not ----------------------------------------------------------------------------


def test_a_standby_within_the_lag_limit_is_fit(settings):
    settings.BIRGE_REPLICA_MAX_LAG = 30
    assert judge(in_recovery=True, lag=0).fit
    assert judge(in_recovery=True, lag=30).fit


def test_a_standby_beyond_the_lag_limit_is_not(settings):
    settings.BIRGE_REPLICA_MAX_LAG = 30
    verdict = judge(in_recovery=True, lag=31.5)
    assert (verdict.fit, verdict.reason, verdict.lag) == (False, "lagging", 31.5)
    assert not judge(in_recovery=True, lag=None).fit  # nothing replayed yet: unknown


def test_a_lagging_replica_is_passed_over(replica_at, monkeypatch, settings):
    replica_at("closed")
    settings.BIRGE_REPLICA_MAX_LAG = 10
    monkeypatch.setattr(replica, "probe", lambda: judge(in_recovery=True, lag=60))
    assert reads_from_replica(read_alias)() == "default"


def test_an_unreachable_replica_is_passed_over(replica_at):
    replica_at("closed")
    assert reads_from_replica(read_alias)() == "default"
    assert replica.verdict().reason == "unreachable"


@on_postgresql
def test_a_primary_given_as_the_replica_is_not_read_from(replica_at):
    """REPLICA_DATABASE_URL naming the primary itself: a real second connection answers,
    but it is not in recovery, so it is not a replica and reports stay on the primary."""
    replica_at("same")
    assert reads_from_replica(read_alias)() == "default"
    assert replica.verdict().reason == "not in recovery"


def test_a_replica_failing_during_a_read_is_read_again_from_the_primary(replica_at, fit, police):
    replica_at("closed")  # judged fit, but the read's connection is refused

    names = reads_from_replica(lambda: list(Agency.objects.values_list("code", flat=True)))()

    assert names == ["police-baku"]
    assert replica.verdict().reason == "unreachable"  # passed over until the next check


# --- The report pages --------------------------------------------------------------------


def test_the_validation_report_answers_with_an_unreachable_replica(
    replica_at, browse, analyst, report_data
):
    replica_at("closed")
    response = browse(analyst).get(VALIDATION, {"version": report_data.pk, "horizon": "6"})
    assert response.status_code == 200
    assert response.context["report"].tables["any"][0].n.value == 60
    assert replica.verdict().reason == "unreachable"


def test_the_compliance_page_answers_with_an_unreachable_replica(replica_at, browse, lead):
    replica_at("closed")
    response = browse(lead).get("/referrals/compliance/")
    assert response.status_code == 200


@on_postgresql
def test_a_fit_replica_serves_the_report_and_the_audit_event_goes_to_the_primary(
    replica_at, fit, browse, analyst, report_data
):
    """A second connection stands for the replica (judged fit). It does not see the rows
    the test wrote (they are not committed): the report it served counts none of them,
    while the export's audit event is on the primary."""
    replica_at("same")
    client = browse(analyst)
    events = AuditEvent.objects.count()
    table = RiskAssessment._meta.db_table

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get(VALIDATION, {"version": report_data.pk, "horizon": "6"})
        export = client.get(VALIDATION + "export.csv", {"version": report_data.pk})

    assert (page.status_code, export.status_code) == (200, 200)
    assert page.context["report"].tables["any"][0].n.value != 60
    report_queries = [q["sql"] for q in on_replica.captured_queries if table in q["sql"]]
    assert len(report_queries) >= 2  # the page's and the export's
    assert not any("audit_auditevent" in q["sql"] for q in on_replica.captured_queries)
    assert AuditEvent.objects.filter(action="figures.exported").count() == 1
    assert AuditEvent.objects.count() > events
