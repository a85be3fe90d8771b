"""schemathesis over every operation of the published API: `make fuzz` runs this file, which
`make test` does not collect (its name is not test_*.py).

Signed in with a token as the demo's case coordinator over the demo's synthetic cases,
referrals and conferences, and as the conference chair over the conferences' routes. Path ids are drawn from the ids that exist (so that the
operations are reached beyond their 404) as well as made up. Every answer must be no
server error, with a status code, a content type and a body that the schema documents.
The seed is fixed and generation derandomised: the same code gives the same run.
"""

import re
from collections import Counter
from io import StringIO

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from knox.models import AuthToken

from birge.access.cases import cases_visible_to
from birge.agencies.models import Agency, ProtocolVersion, Region, Service, ServiceKind, User
from birge.cases.models import Case, Part
from birge.conferences.models import (
    AgendaItem,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
)
from birge.referrals.models import Referral
from birge.referrals.services import referral_refer
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.safety.models import SafetyPlan
from birge.safety.services import safety_plan_save
from birge.wsgi import application

pytestmark = pytest.mark.fuzz

# Examples per operation in the fuzzing phase (the coverage phase adds its own): some
# 9,000 requests, about two minutes per database on two cores.
MAX_EXAMPLES = 50
# Real ids offered per path, at most.
REAL_IDS = 40
# Enough for the demo's last conference (its agenda, actions) to be there.
DEMO_CASES = 300
USER = "coordinator"  # whose referrals and safety plans the run adds

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 2026,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "mode": "all",
            # The token is the test's: no operation is tried with a made-up one.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)

# The published schema, as a client reads it.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)

# Path parameters (by their names in the path) -> the rows that give real values.
_SOURCES = {
    ("id",): lambda: Agency.objects.values_list("pk"),
    ("case_id",): lambda: Case.objects.values_list("pk"),
    ("case_id", "assessment_id"): lambda: RiskAssessment.objects.values_list("case_id", "pk"),
    ("case_id", "plan_id"): lambda: SafetyPlan.objects.values_list("case_id", "pk"),
    ("action_id",): lambda: ConferenceAction.objects.values_list("pk"),
    ("meeting_id",): lambda: Meeting.objects.values_list("pk"),
    ("meeting_id", "item_id"): lambda: AgendaItem.objects.values_list("meeting_id", "pk"),
    ("series_id",): lambda: ConferenceSeries.objects.values_list("pk"),
    ("series_id", "referral_id"): lambda: ConferenceReferral.objects.values_list("series_id", "pk"),
    ("referral_id",): lambda: Referral.objects.values_list("pk"),
    ("number",): lambda: ProtocolVersion.objects.values_list("number"),
    ("instrument_id", "version"): lambda: InstrumentVersion.objects.values_list(
        "instrument_id", "version"
    ),
}
# Ids in bodies (by the field's name) -> the rows that give real values; a list field
# takes several.
_BODY_SOURCES = {
    "case": lambda: Case.objects.values_list("pk", flat=True),
    "agency": lambda: Agency.objects.values_list("pk", flat=True),
    "agencies": lambda: Agency.objects.values_list("pk", flat=True),
    "members": lambda: Agency.objects.values_list("pk", flat=True),
    "service": lambda: Service.objects.values_list("pk", flat=True),
    "coordinator": lambda: User.objects.values_list("pk", flat=True),
    "person": lambda: User.objects.values_list("pk", flat=True),
    "chair": lambda: User.objects.values_list("pk", flat=True),
    "region": lambda: Region.objects.values_list("pk", flat=True),
    "referral": lambda: ConferenceReferral.objects.values_list("pk", flat=True),
}
_LISTS = {"agencies", "members"}
_real: dict = {}
_etags: dict[int, str] = {}  # case id -> its ETag, as the demo made it
# (operation, status) -> answers: the summary printed at the end shows what was reached.
_answers: Counter = Counter()


def _referrals_and_plans(user: User) -> None:
    """The demo makes neither referrals nor safety plans: a few of each, in her cases."""
    cases = list(cases_visible_to(user).order_by("pk")[:4])
    shelter = Service.objects.filter(kind=ServiceKind.SHELTER, is_active=True).first()
    for case in cases:
        referral_refer(actor=user, case=case, service=shelter, summary="Synthetic.", send=True)
        victim = case.participants.get(part=Part.VICTIM)
        safety_plan_save(
            actor=user,
            case=case,
            victim=victim,
            sections={"contacts": "Synthetic."},
            language="az",
            version=0,
        )


def _names(path: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\{(\w+)\}", path))


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Real ids (the demo's, read once the database is there) as often as made-up ones."""
    names = _names(context.operation.path)
    if names not in _SOURCES:
        return strategy

    def real():
        rows = _real.get(names)
        return st.sampled_from(rows) if rows else strategy

    return st.one_of(st.deferred(real), strategy)


@schema.hook
def flatmap_body(context, body):
    """Real ids in a body's id fields, as often as made-up ones."""
    if not isinstance(body, dict):
        return st.just(body)
    real = {}
    for name in body.keys() & _BODY_SOURCES.keys():
        ids = st.sampled_from(_real[name])
        real[name] = st.lists(ids, min_size=1, max_size=3) if name in _LISTS else ids
    if not real:
        return st.just(body)
    return st.one_of(st.fixed_dictionaries(real).map(lambda ids: {**body, **ids}), st.just(body))


@schema.hook
def map_case(context, case):
    """A case's current ETag in If-Match about half the time, so that a PATCH gets past it."""
    if case.method == "PATCH" and "case_id" in (case.path_parameters or {}):
        headers = case.headers or {}
        etag = _etags.get(case.path_parameters["case_id"])
        if etag is not None and len(str(headers.get("If-Match", ""))) % 2 == 0:
            case.headers = {**headers, "If-Match": etag}
    return case


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker):
    """The demo's accounts, synthetic cases and conferences, made once for every operation
    and rolled back after the last (each operation's test runs in a savepoint of its own,
    rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", force=True, cases=DEMO_CASES, seed=7, verbosity=0, stdout=StringIO())
        _referrals_and_plans(User.objects.get(username=USER))
        for names, source in _SOURCES.items():
            rows = sorted(source(), reverse=True)[:REAL_IDS]
            _real[names] = [dict(zip(names, row, strict=True)) for row in rows]
        for name, source in _BODY_SOURCES.items():
            _real[name] = sorted(source(), reverse=True)[:REAL_IDS]
        _etags.update(
            (pk, f'"{pk}-{version}"') for pk, version in Case.objects.values_list("pk", "version")
        )
        yield
        _real.clear()
        _etags.clear()
        transaction.set_rollback(True)
    _summary(request.config)


def _summary(config) -> None:
    """What the run reached, by operation and status (a 404 only is a path not reached)."""
    lines = [f"schemathesis: {_answers.total()} requests, by operation and status:"]
    for label in sorted({label for label, _status in _answers}):
        counts = ", ".join(
            f"{status}: {n}" for (other, status), n in sorted(_answers.items()) if other == label
        )
        lines.append(f"  {label:<72} {counts}")
    capture = config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + "\n".join(lines))  # noqa: T201 -- the run's report


@pytest.fixture
def in_test_transaction():
    """As Django's test client does: a request's end must not close the connection that
    holds the test's transaction (PostgreSQL would lose it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(demo, db, in_test_transaction):
    """`token(username)`: her token; a new one should an operation have revoked it."""
    tokens = {}

    def current(username: str) -> str:
        instance, key = tokens.get(username, (None, None))
        if instance is None or not AuthToken.objects.filter(pk=instance.pk).exists():
            instance, key = tokens[username] = AuthToken.objects.create(
                User.objects.get(username=username)
            )
        return key

    return current


def _call(case, username: str, token) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Token {token(username)}"}
    response = case.call_and_validate()
    _answers[(f"{case.operation.label} ({username})", response.status_code)] += 1


SETTINGS = hypothesis.settings(
    deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck)
)


@schema.parametrize()
@SETTINGS
def test_every_operation_answers_the_coordinator_as_its_schema_says(case, token):
    _call(case, "coordinator", token)


@schema.include(path_regex="^/api/v1/conferences/(meetings|series|actions/{)").parametrize()
@SETTINGS
def test_every_conference_operation_answers_the_chair_as_its_schema_says(case, token):
    """The chair side: what a member may not do, she may (the coordinator is a member)."""
    _call(case, "chair", token)


@schema.include(
    path_regex=r"^/api/v1/conferences/series/(\{series_id\}/)?$", method=["POST", "PUT"]
).parametrize()
@SETTINGS
def test_setting_up_a_series_answers_the_administrator_as_its_schema_says(case, token):
    _call(case, "admin", token)
