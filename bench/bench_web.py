"""Web benchmark: Birge under gunicorn with production settings, driven over loopback.

    make bench                      # 100,000 and 1,000,000 cases, one database each
    make bench CASES=20000          # one quick size
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/birge_scale make bench

Each size (CASES: "100000,1000000" by default) runs in a database of its own
(birge_bench_100k, birge_bench_1000k), in a process of its own:

1. Data. If the database holds at least CASES cases they are reused; otherwise it is
   migrated and `birge demo --cases CASES` tops it up. Personal data is encrypted, so
   the server must get the keys the data was written with: BIRGE_ENCRYPTION_KEYS /
   BIRGE_BLIND_INDEX_KEY when set, otherwise the demo's files (var/).
2. Accounts. Demo users of several agencies get a fresh confirmed TOTP device whose key
   only the benchmark knows and an API token; their cases, deep `before` ids, victims'
   names, cases they may write to and a service to refer to are picked here, through
   Birge's own selectors. Query counts per page are taken with CaptureQueriesContext,
   and the case list's query is EXPLAINed (bench/out/).
3. Server. gunicorn (the README's deployment) on 127.0.0.1:BENCH_PORT with DEBUG off,
   BIRGE_HTTPS=1 and BIRGE_BEHIND_TLS_PROXY=1; the load generator sends
   `X-Forwarded-Proto: https` as the TLS proxy does. The only change to the production
   settings is the URL configuration (bench.urls), which adds the baseline view.
4. Load (bench/load.py, locust), relative to what this machine can do:
   (1) the baseline (bench/baseline.py: the same page as plain JSON) at saturation;
   (2) the mixed load (case list, a deep page, search by name, case page, and two API
       writes: an incident, a referral) offered at BENCH_RATE_FRACTION (0.5) of (1);
   (3) the same load while the periodic jobs run pass after pass in one process, as
       `birge scheduler` runs them (bench/jobs_loop.py);
   (4) each scenario and the whole mix at saturation, in rounds beside the baseline.

It prints p50/p95/p99, requests per second and errors with the targets (mixed load p95
≤ 100 ms with no errors; case list and mix at saturation ≥ 0.5 x the baseline; case
page p95 during jobs ≤ 1.5 x without) and ends with one line of JSON. It exits 0 unless
something broke; the targets are figures, not a test.
"""

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"

# CASES: one size or several ("100000,1000000"), each in a database of its own.
SIZES = [int(n) for n in os.environ.get("CASES", "100000,1000000").split(",") if n.strip()]
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/birge_bench")
CASES = SIZES[0]
DB_URL = BASE_URL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = int(os.environ.get("BENCH_PORT", "0")) or _free_port()
# Two cores: two processes, four threads each (gthread). Measured with BENCH_TUNE at 1M
# cases (case list / baseline req/s at saturation): 2x1 5.2 / 62, 4x1 13.4 / 55,
# 2x4 17.5 / 63. Threads overlap the waits on PostgreSQL (slow list queries today)
# without the memory and context switches of more processes than cores.
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
# The mixed load's rate: RATE_FRACTION of the baseline's saturated throughput measured
# first in the same run, unless BENCH_RATE names a fixed rate.
RATE = float(os.environ.get("BENCH_RATE", "0"))
RATE_FRACTION = float(os.environ.get("BENCH_RATE_FRACTION", "0.5"))
SAT_SCENARIOS = os.environ.get(
    "BENCH_SATURATION_SCENARIOS",
    "b.case_list,b.mixed,a.case_list_deep,a.search_by_name,a.case_detail,a.incident,a.referral",
).split(",")
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
MIXED_USERS = int(os.environ.get("BENCH_MIXED_USERS", "50"))
SAT_USERS = int(os.environ.get("BENCH_SATURATION_USERS", "12"))
SAT_SECONDS = float(os.environ.get("BENCH_SATURATION_SECONDS", "40"))
SAT_ROUNDS = int(os.environ.get("BENCH_SATURATION_ROUNDS", "2"))
SEED_LIMIT = 50_000

# Demo users of six agencies who may open cases (analysts and auditors never do).
ACCOUNTS = [
    "officer",  # police, Baku
    "colleague",  # police, Baku
    "police.lead",  # police, Baku (agency lead)
    "coordinator",  # social protection, Baku (case coordinator)
    "social.lead",  # social protection, Baku (agency lead)
    "shelter",  # shelter NGO, Baku (case coordinator)
    "legal",  # legal aid NGO, Ganja (case coordinator)
    "outsider",  # police, Ganja
]
TARGET_P95_MS = 100.0
TARGET_RATIO = 0.5
TARGET_JOBS_RATIO = 1.5


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- Keys and environment --------------------------------------------------------------


def _key(name: str, make) -> str:
    """The key from the environment, else the demo's file under var/ (made if missing)."""
    value = os.environ.get(name, "")
    if value:
        return value
    path = Path(os.environ.get("BIRGE_VAR_DIR", ROOT / "var")) / name.lower()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def server_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_FILE") and k not in ("DEBUG", "BIRGE_DEMO", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=DB_URL,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        SECRET_KEY=secrets.token_urlsafe(50),
        BIRGE_ENCRYPTION_KEYS=_key(
            "BIRGE_ENCRYPTION_KEYS",
            lambda: "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        ),
        BIRGE_BLIND_INDEX_KEY=_key("BIRGE_BLIND_INDEX_KEY", lambda: secrets.token_hex(32)),
        # The audit checkpoint job runs in the jobs passes as in production (with a key).
        BIRGE_AUDIT_CHECKPOINT_KEY=secrets.token_urlsafe(48),
        BIRGE_HTTPS="1",
        BIRGE_BEHIND_TLS_PROXY="1",
        BIRGE_PROXY_COUNT="0",
        BIRGE_VAR_DIR=str(ROOT / "var" / "bench"),
        LOG_LEVEL="WARNING",
    )
    # The notifications' e-mails go nowhere: the demo's console backend would print each
    # one into the figures (a real server hands them to its mail relay).
    env.setdefault("EMAIL_URL", "dummymail://")
    return env


# --- 1. Data ---------------------------------------------------------------------------


def _count_cases() -> int:
    import psycopg

    try:
        connection = psycopg.connect(DB_URL, autocommit=True)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        parts = urllib.parse.urlsplit(DB_URL)
        name = parts.path.lstrip("/")
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        say(f"  created database {name}")
        return 0
    with connection:
        try:
            row = connection.execute("SELECT count(*) FROM cases_case").fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row else 0


def _birge(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "birge"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


def data_ready(env: dict[str, str]) -> int:
    have = _count_cases()
    # Safe to repeat, and a no-op when the schema is current.
    _birge(env, "migrate", "--no-input", "-v0")
    if have >= CASES:
        say(f"  reusing {have} cases (≥ {CASES})")
        _analyze()
        return have
    load_env = {**env, "BIRGE_DEMO": "1", "DJANGO_SETTINGS_MODULE": "birge.settings"}
    help_text = subprocess.run(  # noqa: S603
        [str(BIN / "birge"), "demo", "--help"],
        env=load_env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    started = time.perf_counter()
    if "--cases" in help_text:
        say(f"  {have} cases; loading up to {CASES} with `birge demo --cases {CASES}`")
        _birge(load_env, "demo", "--cases", str(CASES))
    else:
        if CASES > SEED_LIMIT:
            raise SystemExit(
                f"`birge demo --cases` is not available yet and {CASES} cases are too many "
                f"for bench/seed.py (at most {SEED_LIMIT}); run with CASES={SEED_LIMIT} or less."
            )
        say(f"  {have} cases; `birge demo --cases` missing: bench/seed.py registers up to {CASES}")
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "seed.py"), str(CASES)],
            env=load_env,
            check=True,
            cwd=ROOT,
        )
    have = _count_cases()
    say(f"  {have} cases after loading ({time.perf_counter() - started:.0f} s)")
    _analyze()
    return have


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a running server: without them
    a table that grew since the last run (the audit log, by every run's reads) is planned
    as if it were nearly empty."""
    import psycopg

    with psycopg.connect(DB_URL, autocommit=True) as connection:
        connection.execute("ANALYZE")


def static_ready(env: dict[str, str]) -> None:
    """collectstatic (compressing everything takes a minute) unless nothing changed."""
    manifest = Path(env["BIRGE_VAR_DIR"]) / "static" / "staticfiles.json"
    sources = [p for p in (ROOT / "src" / "birge").glob("*/static/**/*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    _birge(env, "collectstatic", "--no-input", "-v0")


# --- 2. Accounts, plan, query counts ---------------------------------------------------


def prepare(env: dict[str, str]) -> dict[str, Any]:
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from axes.models import AccessAttempt
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    from birge.access.cases import case_get_for_user
    from birge.agencies.models import Service, User
    from birge.agencies.selectors import user_has_capability
    from birge.cases import selectors
    from birge.demo.data import DEMO_PASSWORD
    from birge.demo.services import demo_load

    if User.objects.filter(username__in=ACCOUNTS).count() < len(ACCOUNTS):
        demo_load()
    accounts = []
    for username in ACCOUNTS:
        user = User.objects.select_related("agency").get(username=username)
        if not (user.is_active and user_has_capability(user, "case.view")):
            continue
        started = time.perf_counter()
        first = selectors.case_list(user=user)
        first_ms = (time.perf_counter() - started) * 1000
        if not first.rows:
            say(f"  {username}: no visible case, left out")
            continue
        rows = list(first.rows[:20])
        newest = first.rows[0].case.pk
        befores = []
        for fraction in (0.75, 0.5, 0.25, 0.1):
            before = max(2, int(newest * fraction))
            page = selectors.case_list(user=user, before=before)
            if page.rows:
                befores.append(before)
                rows.extend(page.rows[:20])
        names = []
        for row in rows:
            person = row.victim.person if row.victim else None
            if person is not None and person.first_name and person.last_name:
                name = f"{person.first_name} {person.last_name}"
                if name not in names:
                    names.append(name)
        AccessAttempt.objects.filter(username=username).delete()
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        # The writes go through the API, as an agency's own system would send them.
        AuthToken.objects.filter(user=user).delete()
        _, token = AuthToken.objects.create(user)
        writable = []
        if user_has_capability(user, "case.edit"):
            for row in first.rows:
                try:
                    case_get_for_user(user=user, case_id=row.case.pk, write=True)
                except (Http404, PermissionDenied):
                    continue
                writable.append(row.case.pk)
        referral = None
        service = (
            Service.objects.filter(is_active=True, agency__is_active=True)
            .exclude(agency_id=user.agency_id)
            .order_by("id")
            .first()
        )
        if writable and service and user_has_capability(user, "referral.send"):
            referral = {
                "case_ids": writable,
                "agency_id": service.agency_id,
                "service_kind": service.kind,
            }
        accounts.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "totp_key": device.key,
                "agency_id": user.agency_id,
                "agency": user.agency.code,
                "first_page_ids": [r.case.pk for r in first.rows],
                "deep_befores": befores or [newest],
                "names": names[:30] or ["Aysel Quliyeva"],
                # Not the cases the writes go to: they grow with every run (incidents,
                # referrals, their events), and each run would then read heavier pages.
                "detail_ids": sorted({r.case.pk for r in rows} - set(writable))
                or sorted({r.case.pk for r in rows}),
                "first_page_ms": round(first_ms, 1),
                "token": token,
                "write_case_ids": writable,
                "referral": referral,
            }
        )
        say(
            f"  {username:<12} {user.agency.code:<16} first page {first_ms:7.1f} ms in-process,"
            f" {len(befores)} deep pages, {len(names)} names, {len(rows)} cases to open,"
            f" {len(writable)} to write to{', refers' if referral else ''}"
        )
    if not accounts:
        raise SystemExit("no account sees any case: is the data loaded?")
    return {"accounts": accounts, "queries": query_profile(accounts)}


def query_profile(accounts: list[dict[str, Any]]) -> dict[str, Any]:
    """Queries per page, in-process through the whole middleware stack (Django's test
    client, signed in with the second factor checked), and EXPLAIN of the list query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from birge.agencies.models import User

    OUT.mkdir(exist_ok=True)
    profile: dict[str, Any] = {}
    for account in accounts[:1] + [a for a in accounts if a["username"] == "coordinator"]:
        user = User.objects.get(username=account["username"])
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        pages = {
            "case_list_first": "/cases/",
            "case_list_deep": f"/cases/?before={account['deep_befores'][0]}",
            "search_by_name": "/cases/?" + urllib.parse.urlencode({"q": account["names"][0]}),
            "case_detail": f"/cases/{account['detail_ids'][0]}/",
        }
        for name, path in pages.items():
            client.get(path, secure=True)  # warm
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                elapsed = (time.perf_counter() - started) * 1000
            timed = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
            key = f"{account['username']}.{name}"
            profile[key] = {
                "status": response.status_code,
                "queries": len(queries.captured_queries),
                "ms": round(elapsed, 1),
                "slowest_query_ms": round(float(timed[0]["time"]) * 1000, 1) if timed else 0,
            }
            if timed and name in ("case_list_first", "case_list_deep", "search_by_name"):
                sql = timed[0]["sql"]
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                (OUT / f"explain_{key}.txt").write_text(sql + "\n\n" + plan + "\n")
            (OUT / f"queries_{key}.txt").write_text(
                "\n\n".join(f"-- {float(q['time']) * 1000:.1f} ms\n{q['sql']}" for q in timed)
                + "\n"
            )
    return profile


# --- 3. The server -----------------------------------------------------------------------


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def server_start(env: dict[str, str], workers: int, threads: int) -> subprocess.Popen[bytes]:
    if _port_answers(PORT):
        raise SystemExit(f"127.0.0.1:{PORT} is taken; set BENCH_PORT")
    command = [
        str(BIN / "gunicorn"),
        "birge.wsgi",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "-b",
        f"127.0.0.1:{PORT}",
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603
    deadline = time.monotonic() + 60
    while not _port_answers(PORT):
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    time.sleep(1.0)  # let every worker finish booting
    return server


def server_stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- 4. Load -------------------------------------------------------------------------------


def load(plan: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="birge-bench-"))
    try:
        plan_path, results_path = work / "plan.json", work / "results.json"
        plan_path.write_text(
            json.dumps(
                {
                    "port": PORT,
                    "rate": RATE,
                    "rate_fraction": RATE_FRACTION,
                    "mixed_seconds": MIXED_SECONDS,
                    "mixed_users": MIXED_USERS,
                    "saturation_users": SAT_USERS,
                    "saturation_seconds": SAT_SECONDS,
                    "saturation_rounds": SAT_ROUNDS,
                    "saturation_scenarios": SAT_SCENARIOS,
                    "jobs_command": [sys.executable, str(ROOT / "bench" / "jobs_loop.py")],
                    "jobs_env": env,
                    "accounts": plan["accounts"],
                }
            )
        )
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "load.py"), str(plan_path), str(results_path)],
            check=True,
            cwd=ROOT,
        )
        return json.loads(results_path.read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- Report ----------------------------------------------------------------------------

HEADER = (
    f"  {'scenario':<22} {'requests':>8} {'req/s':>8} {'p50 ms':>8} "
    f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
)
FIGURES = ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors")


def _row(name: str, s: dict[str, Any], verdict: str = "") -> str:
    return (
        f"  {name:<22} {s['requests']:>8} {s['rps']:>8.1f} {s['p50_ms']:>8.1f} "
        f"{s['p95_ms']:>8.1f} {s['p99_ms']:>8.1f} {s['errors']:>6}  {verdict}"
    )


def _table(summaries: dict[str, Any]) -> dict[str, Any]:
    say(HEADER)
    for name, s in summaries.items():
        say(_row(name, s))
        for sample in s.get("error_samples", [])[:3]:
            say(f"      error: {sample}")
    return {name: {k: s[k] for k in FIGURES} for name, s in summaries.items()}


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(cases: int, plan: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    first = results["baseline_first"]
    rate = results["rate_asked"]
    say()
    say(f"(1) baseline at saturation: {first['rps']:.1f} req/s (p95 {first['p95_ms']:.0f} ms)")
    say()
    say(f"(2) mixed load offered at {rate:.1f} req/s ({RATE_FRACTION:g} x the baseline)")
    mixed = _table(results["mixed"])
    whole = results["mixed"]["all"]
    mixed_ok = whole["p95_ms"] <= TARGET_P95_MS and whole["errors"] == 0 and whole["requests"] > 0
    say(
        f"  all requests: p95 {whole['p95_ms']:.1f} ms, {whole['errors']} errors, "
        f"{whole['rps']:.1f} req/s achieved  (target p95 ≤ {TARGET_P95_MS:.0f} ms, no errors) "
        f"{_verdict(mixed_ok)}"
    )
    during: dict[str, Any] = {}
    jobs_ratio = None
    jobs_ok = True
    if "mixed_during_jobs" in results:
        passes = results["jobs_passes"]
        say()
        say(
            f"(3) the same load during jobs passes ({passes['count']} passes, back to back in one"
            f" process: median {passes['median_s']} s, longest {passes['max_s']} s)"
        )
        during = _table(results["mixed_during_jobs"])
        quiet = results["mixed"]["a.case_detail"]["p95_ms"]
        busy = results["mixed_during_jobs"]["a.case_detail"]["p95_ms"]
        jobs_ratio = round(busy / quiet, 2) if quiet else None
        jobs_ok = jobs_ratio is not None and jobs_ratio <= TARGET_JOBS_RATIO and passes["count"] > 0
        say(
            f"  case page p95 during / without jobs: {busy:.1f} / {quiet:.1f} ms = {jobs_ratio}"
            f"  (target ≤ {TARGET_JOBS_RATIO}) {_verdict(jobs_ok)}"
        )
    say()
    say(f"(4) at saturation, each beside the baseline in the same rounds (target ≥ {TARGET_RATIO})")
    sat = results["saturation"]
    saturation = _table(sat)
    base = sat["b.baseline"]["rps"]
    ratios = {
        name: round(s["rps"] / base, 3) if base else 0.0
        for name, s in sat.items()
        if name != "b.baseline"
    }
    for name, ratio in ratios.items():
        targeted = name in ("b.case_list", "b.mixed")
        say(
            f"  {name:<22} {ratio:.3f} x baseline  {_verdict(ratio >= TARGET_RATIO) if targeted else ''}"
        )
    say()
    say("Queries per request (in-process, test client; files in bench/out/):")
    for name, q in plan["queries"].items():
        say(
            f"  {name:<34} {q['queries']:>3} queries, {q['ms']:7.1f} ms, "
            f"slowest query {q['slowest_query_ms']:7.1f} ms (HTTP {q['status']})"
        )
    return {
        "cases": cases,
        "database": urllib.parse.urlsplit(DB_URL).path.lstrip("/"),
        "baseline_rps": first["rps"],
        "rate_asked": rate,
        "mixed": mixed,
        "mixed_during_jobs": during,
        "jobs_passes": results.get("jobs_passes"),
        "saturation": saturation,
        "ratios": ratios,
        "jobs_case_page_p95_ratio": jobs_ratio,
        "targets": {
            "mixed_p95_ms": TARGET_P95_MS,
            "ratio": TARGET_RATIO,
            "jobs_ratio": TARGET_JOBS_RATIO,
            "mixed_pass": mixed_ok,
            "case_list_ratio_pass": ratios.get("b.case_list", 0) >= TARGET_RATIO,
            "mixed_ratio_pass": ratios.get("b.mixed", 0) >= TARGET_RATIO,
            "jobs_pass": jobs_ok,
        },
        "queries_per_request": {k: v["queries"] for k, v in plan["queries"].items()},
    }


def validation_seconds() -> float | None:
    """Issue 4's figure on the same data: the validation report over every case (target
    at most 5 s on PostgreSQL); bench/bench_validation.py prints the details."""
    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(Path(__file__).with_name("bench_validation.py"))],
        env={**os.environ, "BENCH_DATABASE_URL": DB_URL},
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        say("  " + line)
        if line.startswith("validation report over") and "best " in line:
            return float(line.split("best ", 1)[1].split(" s", 1)[0])
    say("  " + done.stderr.strip()[-500:])
    return None


def _size_url(size: int) -> str:
    """One database per size: birge_bench_100k, birge_bench_1000k (BENCH_DATABASE_URL's
    name with the size; the name itself when only one size is asked)."""
    if len(SIZES) == 1:
        return BASE_URL
    parts = urllib.parse.urlsplit(BASE_URL)
    return parts._replace(path=f"{parts.path}_{size // 1000}k").geturl()


def one_size(size: int) -> dict[str, Any]:
    global CASES, DB_URL
    CASES, DB_URL = size, _size_url(size)
    started = time.perf_counter()
    env = server_env()
    say(f"Birge web benchmark: {CASES} cases in {urllib.parse.urlsplit(DB_URL).path[1:]}")
    say("1. data")
    cases = data_ready(env)
    static_ready(env)
    validation = None
    if os.environ.get("BENCH_VALIDATION", "1") != "0":
        say("2. risk validation report over the same cases")
        validation = validation_seconds()
    say("3. accounts (demo users, fresh TOTP devices and API tokens) and their cases")
    plan = prepare(env)
    say(f"4. gunicorn birge.wsgi -w {WORKERS} --threads {THREADS} -b 127.0.0.1:{PORT}")
    server = server_start(env, WORKERS, THREADS)
    try:
        say("5. load (locust, headless)")
        results = load(plan, env)
    finally:
        server_stop(server)
    summary = report(cases, plan, results)
    summary["validation_report_seconds"] = validation
    summary["validation_target_seconds"] = 5.0
    summary["wall_seconds"] = round(time.perf_counter() - started)
    return summary


def _size_in_own_process(size: int) -> list[dict[str, Any]]:
    """Each size in a process of its own (Django is set up for one database); its lines
    are passed on as they come, its last line is its JSON."""
    env = {**os.environ, "CASES": str(size), "BENCH_DATABASE_URL": _size_url(size)}
    child = subprocess.Popen(  # noqa: S603 - this script, one size
        [sys.executable, __file__], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    last = ""
    for line in child.stdout:
        line = line.rstrip("\n")
        if line.startswith("{"):
            last = line
        else:
            say(line)
    if child.wait() != 0 or not last:
        raise SystemExit(f"the benchmark at {size} cases failed")
    return json.loads(last)["runs"]


def main() -> int:
    if len(SIZES) == 1:
        runs = [one_size(SIZES[0])]
    else:
        runs = [run for size in SIZES for run in _size_in_own_process(size)]
    say()
    passes = {
        key: all(run["targets"][key] for run in runs)
        for key in ("mixed_pass", "case_list_ratio_pass", "mixed_ratio_pass", "jobs_pass")
    }
    say(
        json.dumps(
            {
                "bench": "birge-web",
                "gunicorn": {"workers": WORKERS, "threads": THREADS},
                "runs": runs,
                "pass": passes,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
