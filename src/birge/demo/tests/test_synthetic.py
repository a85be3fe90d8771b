"""`birge demo --cases N`: synthetic cases that look real, are encrypted like real ones,
repeat like real ones, and are written fast."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Max

from birge.agencies.models import Agency, User
from birge.audit.models import AuditEvent
from birge.cases.identity import identity_matches, person_digests
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    Consent,
    EmergencyAccess,
    Incident,
    Person,
    PersonIndex,
)
from birge.demo import names, synthetic
from birge.demo.services import demo_load
from birge.home.work import my_work
from birge.privacy.blind_index import name_skeleton
from birge.referrals.models import Referral

N = 200
TOKEN = re.compile(r"v2\.[a-z0-9]{1,16}\.[A-Za-z0-9_-]+={0,2}")
ENCRYPTED = {
    "cases_person": ("first_name", "last_name", "patronymic", "birth_date", "phone", "address"),
    "cases_caseperson": ("shelter_location",),
    "cases_incident": ("place", "narrative"),
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    demo_load()


def _generate(total: int = N, **options) -> synthetic.Result:
    return synthetic.cases_generate(total=total, batch_size=80, **options)


def _snapshot() -> list[tuple]:
    """Everything a reader sees of the cases, decrypted, without ids."""
    cases = []
    for case in Case.objects.order_by("id").prefetch_related("participants__person", "incidents"):
        people = [
            (cp.part, cp.relationship, p.full_name, p.birth_date, p.phone, p.address, p.sex)
            for cp in case.participants.all()
            for p in [cp.person]
        ]
        incidents = sorted(
            (i.occurred_on, tuple(i.forms), i.weapon, i.place, i.narrative)
            for i in case.incidents.all()
        )
        cases.append(
            (
                case.status,
                case.risk_level,
                case.opened_at,
                case.closed_at,
                case.owning_agency_id,
                case.coordinator_id,
                case.region_id,
                tuple(people),
                tuple(incidents),
                case.circle.count(),
                case.consents.count(),
            )
        )
    return cases


def _delete_generated() -> None:
    for model in (
        CircleMember,
        Consent.agencies.through,
        Consent,
        Incident,
        CasePerson,
        PersonIndex,
        Person,
        Case,
    ):
        model.objects.all().delete()


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    [names.FEMALE_FIRST, names.MALE_FIRST, names.SURNAMES, names.SURNAMES_LI],
    ids=["female", "male", "surnames", "surnames-li"],
)
def test_every_spelling_of_a_name_has_one_skeleton(table):
    for spellings in table:
        assert len({name_skeleton(s) for s in spellings}) == 1, spellings


def test_female_surnames_match_across_scripts():
    for index in range(len(synthetic._SURNAMES)):
        written = {synthetic._surname(index, "female", script) for script in (0, 1, 2)}
        assert len({name_skeleton(s) for s in written}) == 1, written


# --- Generation ----------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_cases(demo):
    _generate(seed=7)
    first = _snapshot()
    _delete_generated()
    _generate(seed=7)
    assert _snapshot() == first
    _delete_generated()
    _generate(seed=8)
    assert _snapshot() != first


def test_counts_per_table_hang_together(demo):
    result = _generate()

    assert result.created == N and Case.objects.count() == N
    assert CasePerson.objects.filter(part="victim").count() == N
    assert CasePerson.objects.count() == Person.objects.count()
    perpetrators = CasePerson.objects.filter(part="perpetrator").count()
    assert 0.9 * N < perpetrators <= N
    assert CircleMember.objects.filter(route="owner").count() == N
    assert N <= Incident.objects.count() <= 3 * N
    assert 0 < Consent.objects.count() < N
    # Every adult has a name digest and a last-name digest; most a strong one too.
    assert PersonIndex.objects.filter(purpose="name").count() == Person.objects.count()
    assert PersonIndex.objects.filter(purpose="name_birth").count() > N
    for case in Case.objects.all()[:20]:
        assert case.reference.startswith(f"BRG-{case.opened_at.year}-")
        assert case.incidents.exists()


def test_running_again_tops_up_to_n(demo):
    _generate(total=150)
    assert _generate(total=N).created == N - 150
    assert _generate(total=N).created == 0
    assert Case.objects.count() == N


def test_the_mixes_are_plausible(demo):
    _generate()
    statuses = list(Case.objects.values_list("status", flat=True))
    assert statuses.count("open") > N / 2
    assert statuses.count("closed") > 0
    risks = list(Case.objects.values_list("risk_level", flat=True))
    assert risks.count("standard") > risks.count("critical")
    forms = [form for incident in Incident.objects.all() for form in incident.forms]
    assert forms.count("psychological") > forms.count("sexual") > 0
    relationships = list(
        CasePerson.objects.filter(part="perpetrator").values_list("relationship", flat=True)
    )
    assert max(set(relationships), key=relationships.count) == "spouse"
    victims = Person.objects.filter(parts__part="victim")
    assert {p.sex for p in victims} == {"female"}
    ages = [case_opened.year - p.birth_date.year for p, case_opened in _victim_years()]
    assert sum(18 <= age <= 61 for age in ages) > 0.8 * len(ages)
    scripts = " ".join(p.last_name for p in Person.objects.all())
    assert re.search("[ƏəÖöÜüĞğIıŞşÇç]", scripts) and re.search("[А-Яа-я]", scripts)


def _victim_years():
    for cp in CasePerson.objects.filter(part="victim").select_related("person", "case"):
        yield cp.person, cp.case.opened_at


# --- Repeats -------------------------------------------------------------------------------


def test_repeat_victims_are_found_by_identity_matching(demo):
    _generate()
    repeats = 0
    for cp in CasePerson.objects.filter(part="victim").select_related("person"):
        matches = identity_matches(person=cp.person, exclude_case_id=cp.case_id)
        if any("victim" in parts for parts in matches.values()):
            repeats += 1
    assert repeats >= 2


def test_serial_perpetrators_are_found_with_different_victims(demo):
    _generate()
    serial = []
    for cp in CasePerson.objects.filter(part="perpetrator").select_related("person"):
        others = {
            case_id
            for case_id, parts in identity_matches(person=cp.person).items()
            if "perpetrator" in parts and case_id != cp.case_id
        }
        victim = CasePerson.objects.get(case_id=cp.case_id, part="victim").person
        same_woman = set(identity_matches(person=victim))
        if others - same_woman:
            serial.append(cp)
    assert serial


def test_blind_indexes_are_those_of_the_decrypted_people(demo):
    _generate(total=60)
    for person in Person.objects.order_by("id")[:120]:
        stored = set(PersonIndex.objects.filter(person=person).values_list("purpose", "digest"))
        expected = person_digests(
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            phone=person.phone,
        )
        assert stored == {(str(p), d) for p, d in expected}


# --- Privacy and audit -------------------------------------------------------------------


def test_no_plaintext_in_the_database(demo):
    _generate()
    plaintexts = {
        spelling
        for table in (names.FEMALE_FIRST, names.MALE_FIRST, names.SURNAMES, names.SURNAMES_LI)
        for spellings in table
        for spelling in spellings
    }
    plaintexts |= {s + "a" for s in plaintexts} | {s + "\u0430" for s in plaintexts}
    with connection.cursor() as cursor:
        for table, columns in ENCRYPTED.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
            assert rows
            for row in rows:
                for value in row:
                    assert value in (None, "") or TOKEN.fullmatch(value), value
                    assert value not in plaintexts
        cursor.execute("SELECT * FROM cases_person")
        for row in cursor.fetchall():
            assert not plaintexts & {str(value) for value in row}
    # ... while the ORM reads them back.
    person = Person.objects.filter(parts__part="victim").first()
    assert person.first_name in {s for spellings in names.FEMALE_FIRST for s in spellings}
    assert person.birth_date is not None


def test_one_audit_event_and_the_chain_verifies(demo):
    _generate()
    events = AuditEvent.objects.filter(action="demo.cases_generated")
    assert events.count() == 1
    assert events.get().data == {"cases": N, "total": N, "seed": synthetic.DEFAULT_SEED}
    assert not AuditEvent.objects.filter(action__startswith="case.").exists()
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


# --- The command ---------------------------------------------------------------------------


def test_the_command_adds_cases_after_the_demo_accounts(db):
    out = StringIO()
    call_command("demo", force=True, cases=120, seed=3, verbosity=0, stdout=out)
    assert Case.objects.count() == 120
    assert "officer" in out.getvalue()
    assert "Added 120 synthetic cases" in out.getvalue()
    call_command("demo", force=True, cases=120, verbosity=0, stdout=out)
    assert Case.objects.count() == 120


def test_every_role_of_the_demo_finds_work_waiting_and_a_second_load_adds_none(db):
    out = StringIO()
    call_command("demo", force=True, cases=120, seed=3, verbosity=0, stdout=out)
    assert "a referral for `shelter` to answer" in out.getvalue()
    assert "an emergency access for `auditor` to review" in out.getvalue()

    def waiting(username: str, kind: str) -> int:
        sections = my_work(User.objects.get(username=username)).sections
        return next(s.count for s in sections if s.kind == kind)

    assert waiting("shelter", "referrals") >= 1
    assert waiting("auditor", "emergency_reviews") == 1
    assert waiting("chair", "queue") >= 1
    sent = Referral.objects.filter(status=Referral.Status.SENT).count()

    call_command("demo", force=True, cases=120, verbosity=0, stdout=StringIO())
    assert Referral.objects.filter(status=Referral.Status.SENT).count() == sent
    assert EmergencyAccess.objects.count() == 1


def test_the_command_without_cases_adds_none(db):
    call_command("demo", force=True, stdout=StringIO())
    assert not Case.objects.exists()


# --- PostgreSQL: workers and the bulk load -------------------------------------------------

_SCHEMA = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid::regclass::text LIKE 'cases\\_%%'
    UNION ALL
    SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid)
    FROM pg_index WHERE indrelid::regclass::text LIKE 'cases\\_%%'
    ORDER BY 1, 2, 3
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and forks: PostgreSQL")
def test_workers_and_bulk_load_keep_the_schema(db):
    demo_load()
    with connection.cursor() as cursor:
        cursor.execute(_SCHEMA)
        before = cursor.fetchall()

    result = synthetic.cases_generate(total=600, batch_size=100, workers=2, bulk=True)

    assert (result.workers, result.bulk, Case.objects.count()) == (2, True, 600)
    with connection.cursor() as cursor:
        cursor.execute(_SCHEMA)
        assert cursor.fetchall() == before
    assert CasePerson.objects.filter(part="victim").count() == 600
    ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + 600))
    # Rows made after the load take ids after the generated ones.
    top = Person.objects.aggregate(top=Max("id"))["top"]
    assert (
        Person.objects.create(first_name="x", registered_by_agency=Agency.objects.first()).pk > top
    )
