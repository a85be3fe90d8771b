"""Web benchmark: Birge under gunicorn with production settings, driven over loopback.

    make bench                      # CASES=1000000 in postgres://…/birge_bench
    make bench CASES=20000          # a quick run
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/birge_scale make bench

1. Data. If the database holds at least CASES cases they are reused; otherwise it is
   migrated and `birge demo --cases CASES` tops it up (bench/seed.py, through the real
   registration service, if that option is missing: only for small CASES). Personal
   data is encrypted, so the server must get the keys the data was written with: they
   come from BIRGE_ENCRYPTION_KEYS / BIRGE_BLIND_INDEX_KEY when set, otherwise from the
   files the demo uses (var/birge_encryption_keys, var/birge_blind_index_key).
2. Accounts. Demo users of several agencies (officers, coordinators, leads, a shelter, a
   legal-aid centre, another city's police) get a fresh confirmed TOTP device whose key
   only the benchmark knows; their cases, deep `before` ids and victims' names are
   picked here, through Birge's own selectors. Query counts per page are taken with
   CaptureQueriesContext, and the case list's query is EXPLAINed (bench/out/).
3. Server. gunicorn (the README's deployment) on 127.0.0.1:BENCH_PORT with DEBUG off,
   BIRGE_HTTPS=1 and BIRGE_BEHIND_TLS_PROXY=1, a random SECRET_KEY and the keys from the
   environment; the load generator sends `X-Forwarded-Proto: https` as the TLS proxy
   does. The only change to the production settings is the URL configuration
   (bench.settings → bench.urls), which adds the baseline view.
4. Load (bench/load.py, locust). (a) Signed-in users at a fixed arrival rate of
   BENCH_RATE (100) requests per second for BENCH_MIXED_SECONDS (60): case list first
   page, a deep page, search by name, case detail. (b) The case list's first page at
   saturation, alternating with the baseline (bench/baseline.py) in the same run.

It prints p50/p95/p99, requests per second and errors per scenario with the targets
(p95 ≤ 100 ms and no errors in (a); (b) at least half the baseline's throughput) and
ends with one line of JSON. It exits 0 unless something broke; the targets are figures.

BENCH_TUNE="2x1,4x1,2x4" measures short saturation runs for each workers x threads
setting instead (how the default was chosen).
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

CASES = int(os.environ.get("CASES", "1000000"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/birge_bench")


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
RATE = float(os.environ.get("BENCH_RATE", "100"))
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
MIXED_USERS = int(os.environ.get("BENCH_MIXED_USERS", "50"))
SAT_USERS = int(os.environ.get("BENCH_SATURATION_USERS", "12"))
SAT_SECONDS = float(os.environ.get("BENCH_SATURATION_SECONDS", "40"))
SAT_ROUNDS = int(os.environ.get("BENCH_SATURATION_ROUNDS", "2"))
TUNE = os.environ.get("BENCH_TUNE", "")
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
        BIRGE_HTTPS="1",
        BIRGE_BEHIND_TLS_PROXY="1",
        BIRGE_PROXY_COUNT="0",
        BIRGE_VAR_DIR=str(ROOT / "var" / "bench"),
        LOG_LEVEL="WARNING",
    )
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
    return have


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
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from birge.agencies.models import User
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
                "detail_ids": sorted({r.case.pk for r in rows}),
                "first_page_ms": round(first_ms, 1),
            }
        )
        say(
            f"  {username:<12} {user.agency.code:<16} first page {first_ms:7.1f} ms in-process,"
            f" {len(befores)} deep pages, {len(names)} names, {len(rows)} cases to open"
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


def load(plan: dict[str, Any], mode: str, **overrides: Any) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="birge-bench-"))
    try:
        plan_path, results_path = work / "plan.json", work / "results.json"
        plan_path.write_text(
            json.dumps(
                {
                    "port": PORT,
                    "mode": mode,
                    "rate": RATE,
                    "mixed_seconds": MIXED_SECONDS,
                    "mixed_users": MIXED_USERS,
                    "saturation_users": SAT_USERS,
                    "saturation_seconds": SAT_SECONDS,
                    "saturation_rounds": SAT_ROUNDS,
                    "accounts": plan["accounts"],
                    **overrides,
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


def _row(name: str, s: dict[str, Any], verdict: str = "") -> str:
    return (
        f"  {name:<22} {s['requests']:>7} {s['rps']:>8.1f} {s['p50_ms']:>8.1f} "
        f"{s['p95_ms']:>8.1f} {s['p99_ms']:>8.1f} {s['errors']:>6}  {verdict}"
    )


def report(cases: int, plan: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    header = (
        f"  {'scenario':<22} {'requests':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
    )
    say()
    say(f"(a) mixed workload at {RATE:.0f} req/s, target p95 ≤ {TARGET_P95_MS:.0f} ms, no errors")
    say(header)
    mixed_ok = True
    figures: dict[str, Any] = {}
    for name, s in results["mixed"].items():
        ok = s["p95_ms"] <= TARGET_P95_MS and s["errors"] == 0 and s["requests"] > 0
        mixed_ok = mixed_ok and ok
        say(_row(name, s, "PASS" if ok else "FAIL"))
        figures[name] = {k: s[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms")}
        figures[name]["errors"] = s["errors"]
        for sample in s["error_samples"]:
            say(f"      error: {sample}")
    achieved = results["mixed_total_rps"]
    say(f"  achieved arrival rate: {achieved:.1f} req/s (asked {RATE:.0f})")
    say()
    say(f"(b) case list at saturation beside its baseline, target ratio ≥ {TARGET_RATIO}")
    say(header)
    sat = results["saturation"]
    for name, s in sat.items():
        say(_row(name, s))
        figures[name] = {
            k: s[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "errors")
        }
        for sample in s["error_samples"]:
            say(f"      error: {sample}")
    base = sat.get("b.baseline", {}).get("rps", 0.0)
    ratio = round(sat.get("b.case_list", {}).get("rps", 0.0) / base, 3) if base else 0.0
    ratio_ok = ratio >= TARGET_RATIO
    say(f"  ratio case list / baseline: {ratio:.3f}  {'PASS' if ratio_ok else 'FAIL'}")
    say()
    say("Queries per request (in-process, test client; files in bench/out/):")
    for name, q in plan["queries"].items():
        say(
            f"  {name:<34} {q['queries']:>3} queries, {q['ms']:7.1f} ms, "
            f"slowest query {q['slowest_query_ms']:7.1f} ms (HTTP {q['status']})"
        )
    return {
        "bench": "birge-web",
        "cases": cases,
        "database": urllib.parse.urlsplit(DB_URL).path.lstrip("/"),
        "gunicorn": {"workers": WORKERS, "threads": THREADS},
        "rate_asked": RATE,
        "rate_achieved": achieved,
        "scenarios": figures,
        "ratio": ratio,
        "targets": {
            "mixed_p95_ms": TARGET_P95_MS,
            "ratio": TARGET_RATIO,
            "mixed_pass": mixed_ok,
            "ratio_pass": ratio_ok,
        },
        "queries_per_request": {k: v["queries"] for k, v in plan["queries"].items()},
    }


def tune(env: dict[str, str], plan: dict[str, Any]) -> None:
    say("Tuning: saturation of the case list and the baseline per workers x threads")
    for setting in TUNE.split(","):
        workers, threads = (int(x) for x in setting.lower().split("x"))
        server = server_start(env, workers, threads)
        try:
            results = load(plan, "saturation", saturation_seconds=20, saturation_rounds=1)
        finally:
            server_stop(server)
        s = results["saturation"]
        say(
            f"  -w {workers} --threads {threads}: case list {s['b.case_list']['rps']:.1f} req/s "
            f"(p95 {s['b.case_list']['p95_ms']:.0f} ms), baseline "
            f"{s['b.baseline']['rps']:.1f} req/s (p95 {s['b.baseline']['p95_ms']:.0f} ms)"
        )


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


def main() -> int:
    started = time.perf_counter()
    env = server_env()
    say(f"Birge web benchmark: {CASES} cases in {urllib.parse.urlsplit(DB_URL).path[1:]}")
    say("1. data")
    cases = data_ready(env)
    static_ready(env)
    say("2. risk validation report over the same cases")
    validation = validation_seconds()
    say("3. accounts (demo users, fresh TOTP devices) and their cases")
    plan = prepare(env)
    if TUNE:
        tune(env, plan)
        return 0
    say(f"4. gunicorn birge.wsgi -w {WORKERS} --threads {THREADS} -b 127.0.0.1:{PORT}")
    server = server_start(env, WORKERS, THREADS)
    try:
        say("5. load (locust, headless)")
        results = load(plan, "full")
    finally:
        server_stop(server)
    summary = report(cases, plan, results)
    summary["validation_report_seconds"] = validation
    summary["validation_target_seconds"] = 5.0
    summary["wall_seconds"] = round(time.perf_counter() - started)
    say()
    say(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
