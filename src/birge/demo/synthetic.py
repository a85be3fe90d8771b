"""Synthetic cases at scale: `birge demo --cases N`.

Every person here is invented (birge.demo.names). The generator is built for a million
cases in minutes, so it does not go through the registration service one case at a time;
it writes the rows that service writes, with Birge's own code doing what matters for
privacy:

- names, dates of birth, phones, addresses, places, narratives and shelter locations are
  encrypted for their row (field and primary key) by `birge.privacy.fields.token_for_row`
  on the COPY path, and by the fields themselves through `bulk_create` elsewhere; never
  written in plaintext. Both assign the primary keys first, which is what lets them;
- blind indexes come from `birge.cases.identity.person_digests`, so identity matching
  finds repeat victims and serial perpetrators exactly as it finds registered people.

Shape of the work:

1. `generation_setup` reads the demo agencies, users and regions once.
2. `case_core`, `case_people` and `case_draft_rows` are pure functions of (seed,
   ordinal): the case with ordinal k (0 for the first case in the database) is the same
   on every run with the same seed, starting point and day. A repeat victim is case k
   reusing the victim (name, date of birth, often the phone, her children, sometimes the
   same abuser) of an earlier case k' of the same run; a serial perpetrator is a man
   reused the same way with another victim. Each case registers its own Person rows, as
   registration does; the blind indexes tie them together.
3. Cases are made in batches. On PostgreSQL two worker processes (fork) build, encrypt
   and format the rows as COPY text while the main process streams them in with `COPY
   ... FROM STDIN` (psycopg 3); at most two batches per worker are in flight, so memory
   stays bounded whatever N is. Primary keys come from ranges reserved on the tables'
   sequences up front and handed to batches through shared counters, so child rows refer
   to their parents without round trips. A large load runs in one transaction that drops
   and rebuilds the case tables' foreign keys, unique constraints and secondary indexes
   (`pg_bulk_load`, like pg_restore); a small top-up commits batch by batch with
   everything in place. On other databases (SQLite) the rows go through `bulk_create`.
4. One audit event, `demo.cases_generated`, records the run.

Dates are anchored on today: cases open over the last three years, in the order of their
ids within a run.
"""

from __future__ import annotations

import bisect
import json
import multiprocessing
import os
import random
import time as clock
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, connections, models, transaction
from django.utils import timezone

from birge.agencies.models import Agency, Region, Role, User
from birge.audit.services import event_record
from birge.cases import identity
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    Consent,
    Incident,
    Person,
    PersonIndex,
)
from birge.demo import data, names
from birge.privacy.fields import EncryptedFieldMixin, token_for_row

DEFAULT_SEED = 2026
DEFAULT_BATCH = 5000
BULK_MIN = 50_000
WINDOW_DAYS = 3 * 365

# Shares of cases (per case, so repeat victims are ~2x this share of all cases).
P_REPEAT_VICTIM = 0.03
P_SERIAL_PERPETRATOR = 0.015
# A repeat victim or serial perpetrator comes back within this many cases (~months).
REPEAT_WINDOW = 40_000

# Upper bounds of rows per case, for reserving primary keys.
MAX_CHILDREN = 3
MAX_PERSONS = 2 + MAX_CHILDREN
MAX_INDEXES = 4 * MAX_PERSONS
MAX_INCIDENTS = 3
MAX_SHARES = 4

FEMALE, MALE = "female", "male"
AZ, RU, EN = 0, 1, 2  # the script a case's agency wrote names in

Weighted = tuple[Sequence[Any], list[float]]


def weighted(pairs: Sequence[tuple[Any, float]]) -> Weighted:
    """A table for `pick`: values and cumulative weights."""
    values = [value for value, _ in pairs]
    total, cumulative = 0.0, []
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


def pick(rng: random.Random, table: Weighted) -> Any:
    values, cumulative = table
    return values[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


# --- Distributions ---------------------------------------------------------------------

SCRIPTS = weighted([(AZ, 72), (RU, 16), (EN, 12)])
REGIONS = weighted(
    [
        ("baku", 45),
        ("ganja", 14),
        ("sumgait", 13),
        ("lankaran", 11),
        ("shaki", 9),
        ("mingachevir", 8),
    ]
)
# Who registers a case in each region: police mostly, also social protection and shelters.
# Shaki and Mingachevir have no demo police; the nearest (Ganja) registers their cases.
OWNERS = {
    "baku": weighted([("police-baku", 70), ("mlspp-baku", 15), ("shelter-baku", 15)]),
    "ganja": weighted([("police-ganja", 80), ("mlspp-ganja", 20)]),
    "sumgait": weighted([("police-sumgait", 78), ("psy-sumgait", 22)]),
    "lankaran": weighted([("police-lankaran", 100)]),
    "shaki": weighted([("police-ganja", 70), ("mlspp-ganja", 30)]),
    "mingachevir": weighted([("police-ganja", 75), ("mlspp-ganja", 25)]),
}
# Where a case without its own coordinator is referred for coordination.
HUBS = {
    "baku": ("mlspp-baku",),
    "ganja": ("mlspp-baku", "legal-aid-ganja"),
    "sumgait": ("mlspp-baku",),
    "lankaran": ("mlspp-baku",),
    "shaki": ("legal-aid-ganja", "mlspp-baku"),
    "mingachevir": ("legal-aid-ganja", "mlspp-baku"),
}
PARTNERS = weighted(
    [
        ("shelter-baku", 30),
        ("mlspp-baku", 20),
        ("legal-aid-ganja", 15),
        ("psy-sumgait", 15),
        ("mlspp-ganja", 10),
        ("police-baku", 10),
    ]
)
STATUSES = weighted([("open", 68), ("closed", 29), ("retired", 3)])
RISKS = weighted([("", 5), ("standard", 48), ("medium", 28), ("high", 15), ("critical", 4)])
RELATIONSHIPS = weighted(
    [
        ("spouse", 45),
        ("former_spouse", 12),
        ("partner", 8),
        ("former_partner", 5),
        ("in_law", 10),
        ("parent", 6),
        ("sibling", 5),
        ("child", 3),
        ("other_relative", 4),
        ("other", 2),
    ]
)
INTIMATE = ("spouse", "former_spouse", "partner", "former_partner")
SERIAL_RELATIONSHIPS = weighted([("spouse", 40), ("partner", 25), ("former_partner", 20)])
# Forms of violence: each independently, at least one (psychological if none came up).
FORMS = (
    ("psychological", 0.75),
    ("physical", 0.55),
    ("economic", 0.25),
    ("sexual", 0.10),
    ("stalking", 0.10),
    ("digital", 0.07),
    ("forced_marriage", 0.02),
    ("honour", 0.015),
)
WEAPONS = weighted([("none", 92), ("threatened", 6), ("used", 2)])
WEAPONS_PHYSICAL = weighted([("none", 82), ("threatened", 11), ("used", 7)])
INCIDENTS = weighted([(1, 60), (2, 28), (3, 12)])
CHILDREN = weighted([(0, 62), (1, 18), (2, 13), (3, 7)])
OPERATORS = weighted([("50", 34), ("51", 14), ("55", 26), ("70", 15), ("77", 11)])
SCENES = weighted([("home", 70), ("street", 10), ("relatives", 10), ("work", 5), ("online", 5)])
LANGUAGES = {
    AZ: weighted([("az", 75), ("az, ru", 25)]),
    RU: weighted([("ru", 50), ("az, ru", 50)]),
    EN: weighted([("az", 60), ("az, en", 40)]),
}


# --- Who and what is in the database ---------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """Everything a worker needs, read once from the database before it forks."""

    seed: int
    start: int  # ordinal of the first case of this run (= cases already there)
    count: int  # cases in this run
    case_base: int  # id of the first case of this run
    today: date
    tz: Any
    regions: dict[str, int]
    agencies: dict[str, int]
    creators: dict[str, tuple[int, ...]]  # agency code -> users who may register cases
    coordinators: dict[str, tuple[int, ...]]  # agency code -> users who may coordinate


def scale_staff_ensure() -> None:
    """Frontline officers for demo agencies that register cases but have no user."""
    roles = {role.code: role for role in Role.objects.all()}
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    for username, first, last, agency, role_codes in data.SCALE_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.birge.invalid",
                "agency": agencies[agency],
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.roles.set([roles[code] for code in role_codes])


def generation_setup(*, seed: int, start: int, count: int, case_base: int) -> Setup:
    creators: dict[str, list[int]] = {}
    coordinators: dict[str, list[int]] = {}
    users = User.objects.filter(is_active=True, agency__isnull=False).prefetch_related("roles")
    for user in users.select_related("agency").order_by("id"):
        capabilities = {c for role in user.roles.all() for c in role.capabilities}
        if "case.create" in capabilities:
            creators.setdefault(user.agency.code, []).append(user.pk)
        if "case.coordinate" in capabilities:
            coordinators.setdefault(user.agency.code, []).append(user.pk)
    owners = {code for table in OWNERS.values() for code in table[0]}
    missing = sorted(code for code in owners if not creators.get(code))
    if missing:
        raise LookupError(f"No user may register cases in demo agencies {missing}.")
    return Setup(
        seed=seed,
        start=start,
        count=count,
        case_base=case_base,
        today=timezone.localdate(),
        tz=timezone.get_current_timezone(),
        regions=dict(Region.objects.values_list("code", "id")),
        agencies=dict(Agency.objects.values_list("code", "id")),
        creators={code: tuple(ids) for code, ids in creators.items()},
        coordinators={code: tuple(ids) for code, ids in coordinators.items()},
    )


# --- People ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a person is, independent of how an agency spells it."""

    sex: str
    first: int  # index into FEMALE_FIRST or MALE_FIRST
    surname: int  # index into SURNAMES + SURNAMES_LI
    father: int  # index into MALE_FIRST, for a patronymic
    birth: date
    phone: str  # operator and seven digits, "501234567"
    known: bool = True  # date of birth known (else only an approximate age is recorded)


_SURNAMES = names.SURNAMES + names.SURNAMES_LI
_FIRST = {FEMALE: names.FEMALE_FIRST, MALE: names.MALE_FIRST}


_FEMININE = ("a", "\u0430", "a")  # the Cyrillic a in Russian script


def _surname(index: int, sex: str, script: int) -> str:
    written = _SURNAMES[index][script]
    if index < len(names.SURNAMES) and sex == FEMALE:
        return written + _FEMININE[script]
    return written


def _phone(rng: random.Random) -> str:
    return pick(rng, OPERATORS) + f"{rng.randrange(2_000_000, 10_000_000)}"


def _phone_written(rng: random.Random, phone: str) -> str:
    op, a, b, c = phone[:2], phone[2:5], phone[5:7], phone[7:]
    style = rng.random()
    if style < 0.5:
        return f"+994 {op} {a} {b} {c}"
    if style < 0.8:
        return f"0{op} {a} {b} {c}"
    if style < 0.92:
        return f"+994{phone}"
    return f"(0{op}) {a}-{b}-{c}"


def _birth(rng: random.Random, today: date, age: int) -> date:
    return today - timedelta(days=age * 365 + rng.randrange(365) + age // 4)


def _victim_age(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.03:
        return rng.randrange(17, 20)
    if roll < 0.93:
        return int(rng.triangular(18, 61, 31))
    return rng.randrange(61, 80)


def _perpetrator_age(rng: random.Random, victim_age: int, relationship: str) -> int:
    if relationship in INTIMATE:
        age = victim_age + round(rng.gauss(4, 3.5))
    elif relationship == "parent":
        age = victim_age + rng.randrange(22, 36)
    elif relationship == "in_law":
        age = victim_age + rng.randrange(20, 34)
    elif relationship == "child":
        age = victim_age - rng.randrange(20, 28)
    elif relationship == "sibling":
        age = victim_age + rng.randrange(-8, 9)
    else:
        age = victim_age + rng.randrange(-5, 21)
    return max(16, min(age, 90))


@dataclass(frozen=True, slots=True)
class Core:
    """The people of a case before repeats are resolved, and where its repeats point."""

    victim: Identity
    perpetrator: Identity
    relationship: str
    children: tuple[Identity, ...]
    victim_from: int | None  # ordinal of the case whose victim this one is again
    perpetrator_from: int | None  # ordinal of the case whose perpetrator he is again
    perpetrator_recorded: bool  # the victim named him (else the case has no perpetrator)
    same_abuser: bool  # a repeat victim harmed again by the same man


def case_core(setup: Setup, ordinal: int) -> tuple[random.Random, Core]:
    """The first draws of case `ordinal`, and the generator to draw the rest from."""
    rng = random.Random(setup.seed * 1_000_000_007 + ordinal)  # noqa: S311 -- synthetic data
    today = setup.today
    relationship = pick(rng, RELATIONSHIPS)
    victim_age = _victim_age(rng)
    if relationship == "child" and victim_age < 40:
        relationship = "spouse"
    perp_age = _perpetrator_age(rng, victim_age, relationship)
    perp_surname = rng.randrange(len(_SURNAMES))
    own_surname = rng.randrange(len(_SURNAMES))
    if relationship in ("parent", "sibling"):
        victim_surname = perp_surname if rng.random() < 0.85 else own_surname
    elif relationship in ("spouse", "former_spouse", "in_law"):
        victim_surname = perp_surname if rng.random() < 0.4 else own_surname
    else:
        victim_surname = own_surname
    victim = Identity(
        FEMALE,
        rng.randrange(len(names.FEMALE_FIRST)),
        victim_surname,
        rng.randrange(len(names.MALE_FIRST)),
        _birth(rng, today, victim_age),
        _phone(rng),
    )
    perpetrator = Identity(
        MALE,
        rng.randrange(len(names.MALE_FIRST)),
        perp_surname,
        rng.randrange(len(names.MALE_FIRST)),
        _birth(rng, today, perp_age),
        _phone(rng),
        rng.random() < 0.9,
    )
    children: list[Identity] = []
    if victim_age >= 21:
        # Three years old or more: born before any case of the last three years opened.
        child_surname = perp_surname if relationship in INTIMATE else victim_surname
        oldest = min(17, victim_age - 18)
        for _ in range(pick(rng, CHILDREN)):
            sex = FEMALE if rng.random() < 0.5 else MALE
            children.append(
                Identity(
                    sex,
                    rng.randrange(len(_FIRST[sex])),
                    child_surname,
                    perpetrator.first,
                    _birth(rng, today, rng.randrange(3, oldest + 1)),
                    "",
                    rng.random() < 0.95,
                )
            )
    recorded = rng.random() < 0.96
    earlier = min(ordinal - setup.start, REPEAT_WINDOW)
    victim_from = perpetrator_from = None
    same_abuser = False
    if earlier > 0 and rng.random() < P_REPEAT_VICTIM:
        victim_from = ordinal - 1 - rng.randrange(earlier)
        same_abuser = rng.random() < 0.6
    if earlier > 0 and not same_abuser and rng.random() < P_SERIAL_PERPETRATOR:
        perpetrator_from = ordinal - 1 - rng.randrange(earlier)
        relationship = pick(rng, SERIAL_RELATIONSHIPS)
    core = Core(
        victim,
        perpetrator,
        relationship,
        tuple(children),
        victim_from,
        perpetrator_from,
        recorded,
        same_abuser,
    )
    return rng, core


@dataclass(frozen=True, slots=True)
class People:
    victim: Identity
    perpetrator: Identity
    relationship: str
    children: tuple[Identity, ...]
    repeat_victim: bool
    serial_perpetrator: bool  # he is in another case too (another victim, or her again)
    perpetrator_recorded: bool


def case_people(
    setup: Setup, ordinal: int, cache: dict[int, People] | None = None, core: Core | None = None
) -> People:
    """The people of case `ordinal` with repeats resolved (recursively, to earlier cases)."""
    if cache is not None and ordinal in cache:
        return cache[ordinal]
    if core is None:
        _rng, core = case_core(setup, ordinal)
    victim, perpetrator = core.victim, core.perpetrator
    relationship, children = core.relationship, core.children
    recorded, serial = core.perpetrator_recorded, False
    if core.victim_from is not None:
        first = case_people(setup, core.victim_from, cache)
        victim, children = first.victim, first.children
        if core.same_abuser:
            perpetrator, relationship = first.perpetrator, first.relationship
            recorded = serial = first.perpetrator_recorded
    if core.perpetrator_from is not None:
        # Only a man recorded with his date of birth: otherwise nobody could tell.
        earlier = case_people(setup, core.perpetrator_from, cache)
        if earlier.perpetrator_recorded and earlier.perpetrator.known:
            perpetrator, recorded, serial = earlier.perpetrator, True, True
    people = People(
        victim,
        perpetrator,
        relationship,
        children,
        core.victim_from is not None,
        serial,
        recorded,
    )
    if cache is not None:
        cache[ordinal] = people
        if len(cache) > 4 * REPEAT_WINDOW:
            cache.clear()
    return people


# --- Rows -----------------------------------------------------------------------------------
#
# A row is a tuple of plain Python values in the order of TABLES[name].fields. Its own id
# and references to rows of the same batch are local numbers (0, 1, ...) that become ids
# once the batch's id ranges are reserved; case ids are final from the start.


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: tuple[str, ...]  # attnames, "id" first
    refs: dict[int, str] = field(default_factory=dict)  # position -> table of a local id

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table

    def columns(self) -> list[str]:
        return [self.model._meta.get_field(self._name(f)).column for f in self.fields]

    def _name(self, attname: str) -> str:
        return attname[:-3] if attname.endswith("_id") and attname != "id" else attname


ConsentAgency = Consent.agencies.through

TABLES: dict[str, Table] = {
    "case": Table(
        Case,
        (
            "id",
            "status",
            "opened_at",
            "closed_at",
            "retired_at",
            "anonymised_at",
            "risk_level",
            "sealed",
            "sealed_reason",
            "version",
            "updated_at",
            "coordinator_id",
            "created_by_id",
            "owning_agency_id",
            "region_id",
        ),
    ),
    "person": Table(
        Person,
        (
            "id",
            "first_name",
            "last_name",
            "patronymic",
            "birth_date",
            "approximate_age",
            "birth_year",
            "sex",
            "phone",
            "address",
            "languages",
            "registered_by_agency_id",
            "created_at",
            "anonymised_at",
        ),
        {0: "person"},
    ),
    "index": Table(
        PersonIndex, ("id", "purpose", "digest", "person_id"), {0: "index", 3: "person"}
    ),
    "part": Table(
        CasePerson,
        ("id", "case_id", "person_id", "part", "relationship", "shelter_location", "added_at"),
        {0: "part", 2: "person"},
    ),
    "incident": Table(
        Incident,
        (
            "id",
            "case_id",
            "occurred_on",
            "place",
            "forms",
            "injuries",
            "weapon",
            "children_present",
            "children_witnessed",
            "reporting_agency_id",
            "narrative",
            "recorded_by_id",
            "recorded_at",
        ),
        {0: "incident"},
    ),
    "consent": Table(
        Consent,
        (
            "id",
            "case_id",
            "share_case_record",
            "share_contact",
            "share_location",
            "share_health",
            "given_on",
            "valid_until",
            "recorded_by_id",
            "recorded_at",
            "withdrawn_at",
            "withdrawn_by_id",
        ),
        {0: "consent"},
    ),
    "consent_agency": Table(
        ConsentAgency, ("id", "consent_id", "agency_id"), {0: "consent_agency", 1: "consent"}
    ),
    "circle": Table(
        CircleMember,
        (
            "id",
            "case_id",
            "agency_id",
            "route",
            "basis",
            "consent_id",
            "reason",
            "added_by_id",
            "added_at",
            "removed_at",
        ),
        {0: "circle", 5: "consent"},
    ),
}
# Parents before children (foreign keys are deferred, but the order costs nothing).
ORDER = ("case", "person", "index", "part", "incident", "consent", "consent_agency", "circle")
MAX_ROWS = {
    "person": MAX_PERSONS,
    "index": MAX_INDEXES,
    "part": MAX_PERSONS,
    "incident": MAX_INCIDENTS,
    "consent": 1,
    "consent_agency": MAX_SHARES,
    "circle": 2 + MAX_SHARES,
}


@dataclass
class Batch:
    """Rows of consecutive cases, with local ids until `ids` are applied."""

    first: int  # ordinal of the first case
    cases: int
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in ORDER})

    def add(self, table: str, *values: Any) -> int:
        """Append a row whose first value is replaced by its local id; return that id."""
        rows = self.rows[table]
        rows.append((len(rows), *values))
        return len(rows) - 1

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def _at(setup: Setup, day: date, rng: random.Random, first_hour: int = 8) -> datetime:
    moment = time(rng.randrange(first_hour, 22), rng.randrange(60), rng.randrange(60))
    return datetime.combine(day, moment, tzinfo=setup.tz)


def _address(rng: random.Random, region: str, script: int) -> str:
    city, streets_az, streets_ru = names.PLACES[region]
    street = rng.randrange(len(streets_az))
    house, flat = rng.randrange(1, 120), rng.randrange(1, 90)
    if script == RU:
        return f"{city[RU]}, {streets_ru[street]}, д. {house}, кв. {flat}"
    return f"{city[AZ]}, {streets_az[street]} {house}, m. {flat}"


def _narrative(rng: random.Random, forms: list[str], relationship: str | None, ru: bool) -> str:
    lang = 1 if ru else 0
    who = names.WHO[relationship][lang] if relationship else ("Naməlum şəxs", "Неизвестный")[lang]
    acts = [rng.choice(names.ACTS[form])[lang] for form in forms[:3]]
    after = rng.choice(names.AFTER)[lang]
    return f"{who} {', '.join(acts)}. {after}".strip()


def _forms(rng: random.Random) -> list[str]:
    chosen = [form for form, share in FORMS if rng.random() < share]
    return chosen or ["psychological"]


def _person_row(
    batch: Batch,
    *,
    who: Identity,
    script: int,
    agency_id: int,
    created_at: datetime,
    birth_known: bool,
    phone: str,
    address: str,
    languages: str,
    patronymic: bool,
    today: date,
) -> int:
    first = _FIRST[who.sex][who.first][script]
    last = _surname(who.surname, who.sex, script)
    father = ""
    if patronymic:
        father = f"{names.MALE_FIRST[who.father][script]} {names.PATRONYMIC_WORDS[who.sex][script]}"
    birth = who.birth if birth_known else None
    age = None
    if not birth_known:
        age = today.year - who.birth.year
    person = batch.add(
        "person",
        first,
        last,
        father,
        birth,
        age,
        birth.year if birth else None,
        who.sex,
        phone,
        address,
        languages,
        agency_id,
        created_at,
        None,
    )
    for purpose, digest in identity.person_digests(
        first_name=first, last_name=last, birth_date=birth, phone=phone
    ):
        batch.add("index", str(purpose), digest, person)
    return person


def case_draft_rows(setup: Setup, ordinal: int, batch: Batch, cache: dict[int, People]) -> None:
    """Append the rows of case `ordinal` to the batch."""
    rng, core = case_core(setup, ordinal)
    people = case_people(setup, ordinal, cache, core)
    today = setup.today
    case_id = setup.case_base + (ordinal - setup.start)

    # Where and by whom. Cases open over the last three years in the order of their ids.
    script = pick(rng, SCRIPTS)
    region = pick(rng, REGIONS)
    owner = pick(rng, OWNERS[region])
    owner_id = setup.agencies[owner]
    creator = rng.choice(setup.creators[owner])
    position = (ordinal - setup.start + rng.random()) / setup.count
    days_ago = 1 + int(WINDOW_DAYS * (1 - position))
    opened_day = today - timedelta(days=days_ago)
    opened_at = _at(setup, opened_day, rng)
    last_day = today - timedelta(days=1)

    status = pick(rng, STATUSES) if days_ago > 30 else "open"
    closed_at = retired_at = None
    if status != "open":
        closed_day = opened_day + timedelta(days=rng.randrange(20, 400))
        if closed_day > last_day:
            status = "open"
        else:
            closed_at = _at(setup, closed_day, rng)
            if status == "retired":
                retired_day = closed_day + timedelta(days=rng.randrange(30, 300))
                if retired_day > last_day:
                    status = "closed"
                else:
                    retired_at = _at(setup, retired_day, rng)
    risk = pick(rng, RISKS)
    high_risk = risk in ("high", "critical")
    end_day = closed_at.date() if closed_at else last_day

    # Consent, coordination and the circle.
    own_coordinators = setup.coordinators.get(owner, ())
    consent = rng.random() < (0.7 if owner.startswith("shelter") else 0.4)
    shares: list[str] = []
    hub = None
    if not own_coordinators and rng.random() < 0.35:
        hub = rng.choice(HUBS[region])
        if not (consent or high_risk) or not setup.coordinators.get(hub):
            hub = None
    if consent:
        if hub:
            shares.append(hub)
        for _ in range(1 + (rng.random() < 0.35)):
            partner = pick(rng, PARTNERS)
            if partner != owner and partner not in shares:
                shares.append(partner)
    coordinator = None
    if own_coordinators and rng.random() < 0.95:
        coordinator = rng.choice(own_coordinators)
    elif hub:
        coordinator = rng.choice(setup.coordinators[hub])

    batch.add("circle", case_id, owner_id, "owner", "owner", None, "", creator, opened_at, None)
    consent_id = None
    events = [opened_at]
    if consent:
        given = min(opened_day + timedelta(days=rng.randrange(0, 10)), last_day)
        given_at = _at(setup, given, rng)
        withdrawn_at = None
        if rng.random() < 0.03:
            withdrawn_day = given + timedelta(days=rng.randrange(10, 200))
            if withdrawn_day <= last_day:
                withdrawn_at = _at(setup, withdrawn_day, rng)
                events.append(withdrawn_at)
        recorder = coordinator or creator
        consent_id = batch.add(
            "consent",
            case_id,
            True,
            rng.random() < 0.6,
            rng.random() < 0.3,
            rng.random() < 0.2,
            given,
            given + timedelta(days=rng.randrange(180, 731)),
            recorder,
            given_at,
            withdrawn_at,
            recorder if withdrawn_at else None,
        )
        events.append(given_at)
        for code in shares:
            batch.add("consent_agency", consent_id, setup.agencies[code])
        for code in shares:
            if code == hub or rng.random() < 0.6:
                route = (
                    "referral"
                    if code == hub
                    else ("conference" if rng.random() < 0.15 else "share")
                )
                batch.add(
                    "circle",
                    case_id,
                    setup.agencies[code],
                    route,
                    "consent",
                    consent_id,
                    "",
                    recorder,
                    given_at,
                    withdrawn_at,
                )
    elif high_risk and (hub or rng.random() < 0.25):
        code = hub or "shelter-baku"
        if code != owner:
            added_at = opened_at + timedelta(hours=rng.randrange(1, 72))
            batch.add(
                "circle",
                case_id,
                setup.agencies[code],
                "referral" if hub else "share",
                "high_risk",
                None,
                names.HIGH_RISK_REASONS[script == RU],
                creator,
                added_at,
                None,
            )
            events.append(added_at)
    in_shelter = owner == "shelter-baku" or "shelter-baku" in shares

    # People: victim, perpetrator (usually known), children.
    victim = people.victim
    address_region = region if rng.random() < 0.85 else "baku"
    languages = pick(rng, LANGUAGES[script])
    victim_phone = ""
    if rng.random() < 0.85:
        number = victim.phone if not people.repeat_victim or rng.random() < 0.6 else _phone(rng)
        victim_phone = _phone_written(rng, number)
    person = _person_row(
        batch,
        who=victim,
        script=script,
        agency_id=owner_id,
        created_at=opened_at,
        birth_known=True,
        phone=victim_phone,
        address=_address(rng, address_region, script) if rng.random() < 0.9 else "",
        languages=languages,
        patronymic=rng.random() < 0.35,
        today=today,
    )
    shelter = ""
    if in_shelter and rng.random() < 0.7:
        shelter = names.SHELTER_ROOMS[script == RU].format(n=rng.randrange(1, 25))
    batch.add("part", case_id, person, "victim", "", shelter, opened_at)

    relationship: str | None = None
    if people.perpetrator_recorded:
        relationship = people.relationship
        perpetrator = people.perpetrator
        person = _person_row(
            batch,
            who=perpetrator,
            script=script,
            agency_id=owner_id,
            created_at=opened_at,
            birth_known=perpetrator.known,
            phone=_phone_written(rng, perpetrator.phone) if rng.random() < 0.55 else "",
            address=_address(rng, address_region, script) if rng.random() < 0.5 else "",
            languages=languages,
            patronymic=rng.random() < 0.35,
            today=today,
        )
        batch.add("part", case_id, person, "perpetrator", relationship, "", opened_at)
    for child in people.children:
        person = _person_row(
            batch,
            who=child,
            script=script,
            agency_id=owner_id,
            created_at=opened_at,
            birth_known=child.known,
            phone="",
            address="",
            languages="",
            patronymic=False,
            today=today,
        )
        batch.add("part", case_id, person, "child", "child", "", opened_at)

    # Incidents: the one that brought her, and sometimes later ones.
    ru = script == RU
    city_names = names.PLACES[region][0]
    for number in range(pick(rng, INCIDENTS)):
        if number == 0:
            day = opened_day - timedelta(days=rng.randrange(0, 10))
            agency, recorder, recorded_at = owner, creator, opened_at
        else:
            span = (end_day - opened_day).days
            if span < 2:
                break
            day = opened_day + timedelta(days=rng.randrange(1, span))
            agency = owner
            if shares and rng.random() < 0.3:
                agency = rng.choice(shares)
            recorder = rng.choice(setup.creators[agency]) if setup.creators.get(agency) else creator
            recorded_at = _at(setup, day, rng)
        events.append(recorded_at)
        forms = _forms(rng)
        physical = "physical" in forms
        scene = pick(rng, SCENES)
        if scene == "online":
            place = names.SCENES[scene][ru]
        else:
            place = f"{names.SCENES[scene][ru].capitalize()}, {city_names[RU if ru else AZ]}"
        present = rng.random() < (0.45 if people.children else 0.08)
        batch.add(
            "incident",
            case_id,
            day,
            place,
            forms,
            rng.random() < (0.6 if physical else 0.03),
            pick(rng, WEAPONS_PHYSICAL if physical else WEAPONS),
            present,
            present and rng.random() < 0.7,
            setup.agencies[agency],
            _narrative(rng, forms, relationship, ru),
            recorder,
            recorded_at,
        )

    for moment in (closed_at, retired_at):
        if moment is not None:
            events.append(moment)
    coordinator_id = coordinator
    batch.add(
        "case",
        status,
        opened_at,
        closed_at,
        retired_at,
        None,
        risk,
        False,
        "",
        len(events),
        max(events),
        coordinator_id,
        creator,
        owner_id,
        setup.regions[region],
    )
    # The case row's first value is its final id, not a local one.
    rows = batch.rows["case"]
    rows[-1] = (case_id, *rows[-1][1:])


def batch_build(setup: Setup, first: int, stop: int, cache: dict[int, People]) -> Batch:
    """Rows of the cases with ordinals first..stop-1 (ids still local)."""
    batch = Batch(first=first, cases=stop - first)
    for ordinal in range(first, stop):
        case_draft_rows(setup, ordinal, batch, cache)
    return batch


# --- Ids ------------------------------------------------------------------------------------


class IdRanges:
    """Hands out consecutive ids per table from reserved ranges (shared across forks)."""

    def __init__(self, bases: dict[str, int], shared: bool) -> None:
        if shared:
            context = multiprocessing.get_context("fork")
            self._lock: Any = context.Lock()
            self._next: dict[str, Any] = {
                name: context.RawValue("q", base) for name, base in bases.items()
            }
        else:
            self._lock = None
            self._next = {name: _Counter(base) for name, base in bases.items()}

    def reserve(self, counts: dict[str, int]) -> dict[str, int]:
        if self._lock is not None:
            with self._lock:
                return self._take(counts)
        return self._take(counts)

    def _take(self, counts: dict[str, int]) -> dict[str, int]:
        bases = {}
        for name, n in counts.items():
            if name in self._next:
                bases[name] = self._next[name].value
                self._next[name].value += n
        return bases


class _Counter:
    def __init__(self, value: int) -> None:
        self.value = value


def rows_with_ids(batch: Batch, bases: dict[str, int]) -> Iterator[tuple[str, list[tuple]]]:
    """Each table's rows with local ids turned into real ones."""
    for name in ORDER:
        table = TABLES[name]
        rows = batch.rows[name]
        if not table.refs or not rows:
            yield name, rows
            continue
        shifts = [(position, bases[target]) for position, target in table.refs.items()]
        fixed = []
        for row in rows:
            values = list(row)
            for position, base in shifts:
                if values[position] is not None:
                    values[position] += base
            fixed.append(tuple(values))
        yield name, fixed


# --- PostgreSQL: COPY text made in workers -----------------------------------------------


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


# A converter turns one column's Python value into COPY text; it is given the row's id
# (the real one), which the encrypted columns are bound to.
Converter = Callable[[Any, int], str]


def _converters(table: Table, bases: dict[str, int]) -> list[Converter]:
    """One function per column turning a Python value into COPY text (local ids into
    real ones, sensitive values encrypted for their row by privacy)."""
    out: list[Converter] = []
    for position, attname in enumerate(table.fields):
        model_field = table.model._meta.get_field(table._name(attname))
        if position in table.refs:
            out.append(_shifting(bases[table.refs[position]]))
        elif isinstance(model_field, EncryptedFieldMixin):
            out.append(_encrypting(model_field))
        elif isinstance(model_field, models.BooleanField):
            out.append(lambda v, _: r"\N" if v is None else ("t" if v else "f"))
        elif isinstance(model_field, models.DateField):  # DateTimeField too
            out.append(lambda v, _: r"\N" if v is None else v.isoformat())
        elif isinstance(model_field, models.JSONField):
            out.append(lambda v, _: r"\N" if v is None else _escape(json.dumps(v)))
        elif isinstance(model_field, (models.CharField, models.TextField)):
            out.append(lambda v, _: r"\N" if v is None else _escape(v))
        else:
            out.append(lambda v, _: r"\N" if v is None else str(v))
    return out


def _shifting(base: int) -> Converter:
    return lambda v, _: r"\N" if v is None else str(v + base)


def _encrypting(model_field: Any) -> Converter:
    """Encrypt as the field does, for the row: "" and None kept as they are."""

    def convert(value: Any, pk: int) -> str:
        token = token_for_row(model_field, value, pk=pk)
        return r"\N" if token is None else token

    return convert


def copy_text(batch: Batch, bases: dict[str, int]) -> dict[str, bytes]:
    """The batch as COPY text per table."""
    out = {}
    for name in ORDER:
        table = TABLES[name]
        convert = _converters(table, bases)
        # The row's own id: final for cases, a local number plus the table's base otherwise.
        shift = bases[table.refs[0]] if 0 in table.refs else 0
        lines = [
            "\t".join([f(v, row[0] + shift) for f, v in zip(convert, row, strict=True)])
            for row in batch.rows[name]
        ]
        out[name] = ("\n".join(lines) + "\n").encode() if lines else b""
    return out


# Set in the parent before forking; read by the workers.
_WORKER: dict[str, Any] = {}


def _worker_batch(first: int, stop: int) -> tuple[int, dict[str, bytes]]:
    setup: Setup = _WORKER["setup"]
    ids: IdRanges = _WORKER["ids"]
    cache = _WORKER.setdefault("cache", {})
    batch = batch_build(setup, first, stop, cache)
    return batch.cases, copy_text(batch, ids.reserve(batch.counts()))


def _copy_in(texts: dict[str, bytes]) -> None:
    """COPY one batch; its own transaction, or part of the bulk load's."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for name in ORDER:
            text = texts[name]
            if not text:
                continue
            table = TABLES[name]
            columns = ", ".join(f'"{c}"' for c in table.columns())
            with cursor.cursor.copy(f'COPY "{table.db_table}" ({columns}) FROM STDIN') as copy:
                copy.write(text)


def _pg_reserve(count: int) -> tuple[int, dict[str, int]]:
    """Reserve id ranges on every table's sequence; return the first case id and bases."""
    bases = {}
    with connection.cursor() as cursor:
        for name in ("case", *MAX_ROWS):
            table = TABLES[name]
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.db_table])
            sequence = cursor.fetchone()[0]
            top = f'SELECT COALESCE(max(id), 0) + 1 FROM "{table.db_table}"'  # noqa: S608
            cursor.execute(f"SELECT GREATEST(nextval(%s), ({top}))", [sequence])
            base = cursor.fetchone()[0]
            size = count * MAX_ROWS.get(name, 1)
            cursor.execute("SELECT setval(%s, %s)", [sequence, base + size])
            bases[name] = base
    return bases.pop("case"), bases


def _pg_finish() -> None:
    """Put every sequence just past the largest id, and refresh the planner statistics."""
    with connection.cursor() as cursor:
        for name in ORDER:
            table = TABLES[name].db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 -- model table
                f'GREATEST((SELECT max(id) FROM "{table}"), 1))',
                [table],
            )
        for name in ORDER:
            cursor.execute(f'ANALYZE "{TABLES[name].db_table}"')


_SECONDARY = """
    SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
           format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
                  pg_get_constraintdef(oid))
    FROM pg_constraint
    WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
    ORDER BY contype, conname
"""
_INDEXES = """
    SELECT format('DROP INDEX %%s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint c
          WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
      )
    ORDER BY 1
"""


@contextmanager
def pg_bulk_load(phases: dict[str, float]) -> Iterator[dict[str, float]]:
    """One transaction in which the case tables lose their foreign keys, unique
    constraints and secondary indexes, are loaded, and get them all back.

    This is how pg_restore loads: building an index once over sorted data and checking
    a foreign key with one join is many times faster than maintaining them row by row.
    The definitions are read from the catalogue, so they come back exactly as they
    were; re-adding a constraint checks every row, so nothing unchecked gets in; and if
    anything fails the whole load rolls back. Meanwhile the tables are locked.
    """
    tables = [f'"{TABLES[name].db_table}"' for name in ORDER]
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys of rows written earlier in a caller's transaction are checked
        # now: a table with pending checks cannot be altered.
        connection.check_constraints()
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SET LOCAL maintenance_work_mem TO '512MB'")
        cursor.execute(_SECONDARY, [tables])
        constraints = cursor.fetchall()
        cursor.execute(_INDEXES, [tables])
        indexes = cursor.fetchall()
        for drop, _add in constraints + indexes:
            cursor.execute(drop)
        yield phases
        began = clock.monotonic()
        for _drop, add in reversed(constraints + indexes):
            cursor.execute(add)
        phases["constraints and indexes"] = clock.monotonic() - began
    phases["commit"] = clock.monotonic() - began - phases["constraints and indexes"]


# --- Other databases: the ORM ---------------------------------------------------------------


def _orm_reserve() -> tuple[int, dict[str, int]]:
    def next_id(table: Table) -> int:
        return (table.model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1

    bases = {name: next_id(TABLES[name]) for name in MAX_ROWS}
    return next_id(TABLES["case"]), bases


def _orm_write(batch: Batch, bases: dict[str, int]) -> None:
    with transaction.atomic():
        for name, rows in rows_with_ids(batch, bases):
            table = TABLES[name]
            table.model.objects.bulk_create(
                [table.model(**dict(zip(table.fields, row, strict=True))) for row in rows],
                batch_size=500,
            )


# --- The run --------------------------------------------------------------------------------


@dataclass
class Result:
    created: int
    total: int
    seconds: float
    workers: int
    bulk: bool = False
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase


def batches(start: int, stop: int, size: int) -> list[tuple[int, int]]:
    return [(first, min(first + size, stop)) for first in range(start, stop, size)]


def cases_generate(
    *,
    total: int,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH,
    workers: int | None = None,
    bulk: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Top the database up to `total` cases with synthetic ones; return what was done.

    Demo agencies and users must be loaded (`demo_load`). On PostgreSQL with more than
    one batch, `workers` processes (default: one per core, at most two) build the rows
    while this one COPYs them in. A large load (`bulk`, by default when it at least
    doubles the cases and adds 50,000 or more) runs as one transaction through
    `pg_bulk_load`; otherwise every batch commits on its own, so an interrupted run
    keeps what it wrote and the next run tops up from there.
    """
    began = clock.monotonic()
    scale_staff_ensure()
    start = Case.objects.count()
    count = max(0, total - start)
    if count == 0:
        return Result(0, start, clock.monotonic() - began, 0)
    postgres = connection.vendor == "postgresql"
    nested = connection.in_atomic_block
    case_base, bases = _pg_reserve(count) if postgres else _orm_reserve()
    setup = generation_setup(seed=seed, start=start, count=count, case_base=case_base)
    plan = batches(start, start + count, batch_size)
    # Inside a caller's transaction (tests), only what the caller asks for explicitly.
    if workers is None:
        workers = 0 if nested else min(2, os.cpu_count() or 1)
    if not postgres or len(plan) < 2:
        workers = 0
    if bulk is None:
        bulk = not nested and count >= max(BULK_MIN, start)
    bulk = bulk and postgres

    if progress:
        progress(0, count)
    phases: dict[str, float] = {"setup": clock.monotonic() - began}
    pool = _pool_start(setup, bases, workers, close=not nested) if workers else None
    try:
        mark = clock.monotonic()
        with pg_bulk_load(phases) if bulk else nullcontext():
            if pool is not None:
                for cases, texts in _pooled(pool, plan, workers, phases):
                    _copy_in(texts)
                    if progress:
                        progress(cases, count)
            else:
                _in_process(setup, plan, bases, postgres, count, progress)
            phases["generate and copy"] = clock.monotonic() - mark
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            _WORKER.clear()
    if postgres:
        mark = clock.monotonic()
        _pg_finish()
        phases["sequences and analyze"] = clock.monotonic() - mark
    event_record(
        action="demo.cases_generated",
        data={"cases": count, "total": start + count, "seed": seed},
    )
    return Result(count, start + count, clock.monotonic() - began, workers, bulk, phases)


def _in_process(
    setup: Setup,
    plan: list[tuple[int, int]],
    bases: dict[str, int],
    postgres: bool,
    count: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    ids = IdRanges(bases, shared=False)
    cache: dict[int, People] = {}
    for first, stop in plan:
        batch = batch_build(setup, first, stop, cache)
        reserved = ids.reserve(batch.counts())
        if postgres:
            _copy_in(copy_text(batch, reserved))
        else:
            _orm_write(batch, reserved)
        if progress:
            progress(batch.cases, count)


def _pool_start(setup: Setup, bases: dict[str, int], workers: int, close: bool) -> Any:
    """Fork the workers before the load's transaction. They never use the database, and
    end with os._exit, so they never touch the parent's connection; it is closed first
    all the same (and reopened afterwards) unless a caller's transaction holds it."""
    _WORKER.clear()
    _WORKER.update(setup=setup, ids=IdRanges(bases, shared=True))
    if close:
        connections.close_all()
    return multiprocessing.get_context("fork").Pool(workers)


def _pooled(
    pool: Any, plan: list[tuple[int, int]], workers: int, phases: dict[str, float]
) -> Iterator[tuple[int, dict]]:
    """Batches from the workers, in order, with at most two per worker in flight."""
    phases["waiting for workers"] = 0.0
    pending: deque = deque()
    todo = iter(plan)
    for first, stop in todo:
        pending.append(pool.apply_async(_worker_batch, (first, stop)))
        if len(pending) >= 2 * workers:
            break
    while pending:
        mark = clock.monotonic()
        result = pending.popleft().get()
        phases["waiting for workers"] += clock.monotonic() - mark
        following = next(todo, None)
        if following is not None:
            pending.append(pool.apply_async(_worker_batch, following))
        yield result
