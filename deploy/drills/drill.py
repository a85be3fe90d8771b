"""Birge's operations drills (`make drill`): failover, crash, replica, restore.

Everything runs on loopback in a temporary directory with Debian's packages, and is
removed at the end, even on failure: its own PostgreSQL primary and streaming replica
(initdb and pg_basebackup as the `postgres` OS user), its own Redis, two Birge app
servers under gunicorn behind HAProxy. It never touches another PostgreSQL cluster or
Redis. Production settings (DEBUG off, two-factor required); only the plain HTTP of
loopback (BIRGE_HTTPS=0) and fixed throwaway keys differ. The drill's users pass
two-factor honestly: it enrols an authenticator (TOTP) for each and computes its codes.

Each drill prints its progress and is bounded in time; the run ends with ONE line of JSON
holding every figure, and exits non-zero when any drill failed.

    python deploy/drills/drill.py [--drills failover,crash,replica,restore] [--cases N]
"""

import argparse
import base64
import contextlib
import hashlib
import hmac
import http.cookiejar
import itertools
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))

PORT_PRIMARY = int(os.environ.get("DRILL_PORT_PRIMARY", "55432"))
PORT_REPLICA = int(os.environ.get("DRILL_PORT_REPLICA", "55433"))
PORT_PITR = int(os.environ.get("DRILL_PORT_PITR", "55434"))
PORT_REDIS = int(os.environ.get("DRILL_PORT_REDIS", "56379"))
PORT_APPS = (
    int(os.environ.get("DRILL_PORT_APP1", "58001")),
    int(os.environ.get("DRILL_PORT_APP2", "58002")),
)
PORT_PROXY = int(os.environ.get("DRILL_PORT_PROXY", "58080"))
DATABASE = "birge"
PROXY = f"http://127.0.0.1:{PORT_PROXY}"

# Fixed keys for the drill only; they protect nothing (as the Makefile's TEST_ENV).
KEYS = {
    "SECRET_KEY": "drill-only-not-secret-birge-0123456789-abcdefghijklmnopqrstuvwxyz",
    "BIRGE_ENCRYPTION_KEYS": "d1:" + base64.b64encode(b"drill-only-key-protects-nothing!").decode(),
    "BIRGE_BLIND_INDEX_KEY": "drill-only-blind-index-key-protects-nothing-0123456789",
    "BIRGE_AUDIT_CHECKPOINT_KEY": "drill-only-checkpoint-key-protects-nothing-0123456789",
}
# The authenticator key the drill enrols for its users (hex, as django-otp stores it).
TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_PASSWORD = "birge-demo-2026"  # src/birge/demo/data.py
LOAD_USERS = ("colleague", "police.lead", "coordinator")  # the failover drill's sessions
WRITE_USER = "officer"  # the crash drill's API token
REPORT_USERS = ("analyst", "chair")  # the replica drill's sessions

T0 = time.monotonic()


def say(message: str) -> None:
    print(f"[drill {time.monotonic() - T0:6.1f}s] {message}", flush=True)


class DrillFailed(Exception):
    pass


class DrillTimeout(Exception):
    pass


# --- the machinery: clusters, Redis, app servers, proxy --------------------------------


class Machinery:
    def __init__(self, base: Path, cases: int):
        self.base = base
        self.cases = cases
        self.pg = base / "pg"
        self.archive = self.pg / "archive"
        self.processes: dict[str, subprocess.Popen] = {}
        self.clusters: list[Path] = []
        self.checkpoints = base / "checkpoints.jsonl"
        self.var = base / "var"
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("BIRGE_", "DATABASE_", "REDIS_"))
            },
            **KEYS,
            "DEBUG": "0",
            "BIRGE_DEMO": "0",
            "BIRGE_HTTPS": "0",
            "BIRGE_REQUIRE_2FA": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BIRGE_PROXY_COUNT": "1",
            "BIRGE_VAR_DIR": str(self.var),
            "DATABASE_URL": self.url(),
            "REDIS_URL": f"redis://127.0.0.1:{PORT_REDIS}/0",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
            "PYTHONUNBUFFERED": "1",
        }

    # PostgreSQL ---------------------------------------------------------------------

    def url(self, port: int = PORT_PRIMARY, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def as_postgres(self, *command, timeout: float = 120) -> str:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd="/",
        )
        if done.returncode:
            raise DrillFailed(f"{Path(str(command[0])).name} failed: {done.stderr.strip()[-600:]}")
        return done.stdout

    def psql(
        self, sql: str, *, port: int = PORT_PRIMARY, database: str = DATABASE, timeout: float = 120
    ) -> str:
        options = ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres"]
        command = [PG_BIN / "psql", *options, "-p", str(port), "-d", database, "-c", sql]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise DrillFailed(f"psql on {port}/{database}: {done.stderr.strip()[-600:]}")
        return done.stdout.strip()

    def pg_start(self, data: Path, port: int) -> None:
        log = data.parent / f"{data.name}.log"
        options = ["-o", f"-p {port}", "-w", "-t", "60"]
        self.as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", log, *options, "start")
        if data not in self.clusters:
            self.clusters.append(data)

    def pg_stop(self, data: Path, mode: str = "fast") -> None:
        if (data / "postmaster.pid").exists():
            self.as_postgres(PG_BIN / "pg_ctl", "-D", data, "-m", mode, "-w", "-t", "60", "stop")

    def primary_make(self) -> None:
        self.pg.mkdir()
        self.archive.mkdir()
        shutil.chown(self.pg, "postgres", "postgres")
        shutil.chown(self.archive, "postgres", "postgres")
        primary = self.pg / "primary"
        options = ["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
        self.as_postgres(PG_BIN / "initdb", "-D", primary, *options)
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.pg}'",
            "shared_buffers": "'64MB'",
            "max_connections": "60",
            "wal_level": "replica",
            "max_wal_senders": "5",
            "hot_standby": "on",
            "archive_mode": "on",
            "archive_command": f"'test ! -f {self.archive}/%f && cp %p {self.archive}/%f'",
        }
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("\n# birge drill\n")
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())
        self.pg_start(primary, PORT_PRIMARY)
        self.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        self.psql("CREATE DATABASE drill", database="postgres")  # the drills' own rows

    def base_backup(self, target: Path, *options) -> None:
        primary = ["-h", "127.0.0.1", "-p", PORT_PRIMARY, "-U", "postgres"]
        self.as_postgres(
            PG_BIN / "pg_basebackup", *primary, "-D", target, "--checkpoint=fast", *options
        )

    def replica_make(self) -> None:
        replica = self.pg / "replica"
        self.base_backup(replica, "-R", "-X", "stream")  # -R: a standby of the primary
        # The replica logs every statement: the proof, from outside Birge, of what it served.
        with open(replica / "postgresql.auto.conf", "a") as conf:
            conf.write("log_statement = 'all'\nlog_line_prefix = '%m [%d] '\narchive_mode = off\n")
        self.pg_start(replica, PORT_REPLICA)
        state = self.psql("SELECT pg_is_in_recovery()", port=PORT_REPLICA, database="postgres")
        if state != "t":
            raise DrillFailed("the replica is not in recovery")

    def replica_log(self) -> Path:
        return self.pg / "replica.log"

    # Redis, Birge --------------------------------------------------------------------

    def spawn(self, name: str, command: list, **kwargs) -> subprocess.Popen:
        with open(self.base / f"{name}.log", "ab") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                [str(c) for c in command],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **kwargs,
            )
        self.processes[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.get(name)
        if process and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)  # the master and its workers: a crashed machine
            process.wait(timeout=30)
        elif process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # orphaned workers, if any

    def redis_start(self) -> None:
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.base]
        self.spawn("redis", ["redis-server", "--port", PORT_REDIS, *options])
        wait_port(PORT_REDIS, 20)

    def birge(self, *args, timeout: float = 300, env: dict | None = None, check: bool = True):
        done = subprocess.run(
            [BIN / "birge", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**self.env, **(env or {})},
            cwd=ROOT,
        )
        if check and done.returncode:
            raise DrillFailed(
                f"birge {' '.join(map(str, args))}: {(done.stderr or done.stdout)[-800:]}"
            )
        return done

    def seed(self) -> None:
        say("migrate, and collectstatic alongside")
        static = subprocess.Popen(
            [BIN / "birge", "collectstatic", "--no-input", "-v0"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        self.birge("migrate", "--no-input", "-v0", timeout=600)
        if static.wait(timeout=300):
            raise DrillFailed("birge collectstatic failed")
        say(f"synthetic data: birge demo --force --cases {self.cases}")
        self.birge("demo", "--force", "--cases", self.cases, "--workers", "1", timeout=600)
        users = [*LOAD_USERS, WRITE_USER, *REPORT_USERS]
        self.birge(
            "shell",
            "-c",
            (
                "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
                "from django.contrib.auth import get_user_model\nUser = get_user_model()\n"
                f"for user in User.objects.filter(username__in={users!r}):\n"
                "    TOTPDevice.objects.filter(user=user).delete()\n"
                f"    TOTPDevice.objects.create(user=user, name='drill', key={TOTP_KEY!r}, confirmed=True)\n"
            ),
        )
        self.birge("jobs", "run", "audit_seal")

    def app_command(self, port: int) -> tuple[list, dict]:
        config = ROOT / "deploy" / "gunicorn.conf.py"
        # Each server its own control socket (gunicorn's default path is one per user).
        control = ["--control-socket", self.base / f"gunicorn-{port}.ctl"]
        if config.exists():
            return [BIN / "gunicorn", "-c", config, *control, "birge.wsgi"], {
                "BIRGE_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "4",
            }
        flags = ["-k", "gthread", "--threads", "4", "-w", "2", "--graceful-timeout", "5"]
        bind = ["-b", f"127.0.0.1:{port}"]
        return [BIN / "gunicorn", "birge.wsgi", *flags, *bind, *control], {}

    def app_start(self, index: int, extra_env: dict | None = None) -> None:
        port = PORT_APPS[index]
        command, env = self.app_command(port)
        self.spawn(
            f"app{index + 1}", command, env={**self.env, **env, **(extra_env or {})}, cwd=ROOT
        )

    def app_ready(self, index: int, timeout: float = 60) -> None:
        url = f"http://127.0.0.1:{PORT_APPS[index]}/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
            process = self.processes[f"app{index + 1}"]
            if process.poll() is not None:
                raise DrillFailed(f"app{index + 1} exited: see its log")
            time.sleep(0.3)
        raise DrillFailed(f"app{index + 1} not ready after {timeout:.0f} s")

    def apps_start(self, extra_env: dict | None = None) -> None:
        for index in (0, 1):
            self.app_start(index, extra_env)
        for index in (0, 1):
            self.app_ready(index)

    def apps_stop(self) -> None:
        for name in ("app1", "app2"):
            self.kill(name, signal.SIGTERM)

    def proxy_start(self) -> None:
        config = self.base / "haproxy.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(proxy=PORT_PROXY, app1=PORT_APPS[0], app2=PORT_APPS[1])
        )
        done = subprocess.run(["haproxy", "-c", "-q", "-f", config], capture_output=True, text=True)
        if done.returncode:
            raise DrillFailed(f"haproxy configuration: {done.stderr.strip()}")
        self.spawn("haproxy", ["haproxy", "-db", "-f", config])
        wait_port(PORT_PROXY, 20)

    def close(self) -> None:
        for name in list(self.processes):
            with contextlib.suppress(Exception):
                self.kill(name, signal.SIGKILL)
        for data in reversed(self.clusters):
            with contextlib.suppress(Exception):
                self.pg_stop(data, "immediate")


# HAProxy: health checks on /readyz; a request that finds its server gone (refused,
# reset, empty answer) is sent again, to another server (redispatch); a server back in
# the pool gets its share of requests over 10 s (slowstart), while its workers warm up.
HAPROXY_CONFIG = """\
global
    maxconn 256

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
    option forwardfor

frontend birge
    bind 127.0.0.1:{proxy}
    default_backend birge_apps

backend birge_apps
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2 slowstart 10s
    server app1 127.0.0.1:{app1} check
    server app2 127.0.0.1:{app2} check
"""


def wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise DrillFailed(f"nothing listens on port {port} after {timeout:.0f} s")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- clients: two-factor sign-in, sessions, the API ------------------------------------


class TotpClock:
    """RFC 6238 codes for the drill's enrolled key; one code per user per 30 s step."""

    def __init__(self):
        self.used: dict[str, int] = {}
        self.lock = threading.Lock()

    def code(self, user: str) -> str:
        with self.lock:
            step = int(time.time()) // 30
            while self.used.get(user, -1) >= step:
                time.sleep(0.5)
                step = int(time.time()) // 30
            self.used[user] = step
        digest = hmac.new(bytes.fromhex(TOTP_KEY), struct.pack(">Q", step), hashlib.sha1).digest()
        offset = digest[-1] & 0x0F
        value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
        return f"{value:06d}"


TOTP = TotpClock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """A browser: cookies, CSRF, sign-in with password and the authenticator's code."""

    def __init__(self, base: str = PROXY):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = ""  # where the last GET ended, after redirects

    def get(self, path: str, timeout: float = 15) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as answer:
                self.url = answer.geturl()
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str]:
        status, page = self.get(path)
        token = CSRF.search(page)
        if not token:
            raise DrillFailed(f"no form on {path} ({status})")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=15) as answer:
                return answer.status, answer.geturl(), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")

    def sign_in(self, username: str) -> None:
        status, url, _ = self.post_form(
            "/account/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        if "/account/two-factor/" not in url:
            raise DrillFailed(f"sign-in of {username}: no two-factor step ({status} {url})")
        status, url, _ = self.post_form("/account/two-factor/", {"code": TOTP.code(username)})
        if status != 200 or "/account/" in urllib.parse.urlsplit(url).path:
            raise DrillFailed(f"two-factor of {username} refused ({status} {url})")


def api(
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: dict | None = None,
    headers: dict | None = None,
    timeout: float = 15,
) -> tuple[int, dict | list | None]:
    request = urllib.request.Request(
        PROXY + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        with contextlib.suppress(ValueError):
            return error.code, json.loads(error.read() or b"null")
        return error.code, None


def api_token(username: str) -> str:
    body = {"username": username, "password": DEMO_PASSWORD, "code": TOTP.code(username)}
    status, answer = api("POST", "/api/v1/auth/token/", body=body)
    if status != 201 or not isinstance(answer, dict):
        raise DrillFailed(f"API token for {username}: {status} {answer}")
    return answer["token"]


def case_ids(page: str) -> list[int]:
    return sorted({int(i) for i in re.findall(r'href="/cases/(\d+)/"', page)})


# --- drill 1: scale-out and failover ---------------------------------------------------


def drill_failover(m: Machinery, *, down_s: float = 8, steady_s: float = 5) -> dict:
    sessions = []
    for user in LOAD_USERS:
        session = Session()
        session.sign_in(user)
        status, page = session.get("/cases/")
        cases = case_ids(page)
        if status != 200 or not cases:
            raise DrillFailed(f"{user} sees no case list ({status})")
        sessions.append((user, session, cases[:10]))
    say(
        f"signed in (password and TOTP code) as {', '.join(LOAD_USERS)}; steady load through HAProxy"
    )
    stop = threading.Event()
    lock = threading.Lock()
    ok_times: list[float] = []
    failures: list[str] = []

    def load(session: Session, cases: list[int]) -> None:
        n = 0
        while not stop.is_set():
            path = "/cases/" if n % 3 == 0 else f"/cases/{cases[n % len(cases)]}/"
            n += 1
            try:
                status, _ = session.get(path)
                # Still signed in: the page itself, not a redirect to the sign-in.
                good = status == 200 and "/account/" not in session.url
            except OSError as error:
                status, good = type(error).__name__, False
            with lock:
                if good:
                    ok_times.append(time.monotonic())
                else:
                    failures.append(f"{path} {status}")
            if not good:
                time.sleep(0.2)  # a browser's person would not click faster

    threads = [threading.Thread(target=load, args=(s, c), daemon=True) for _, s, c in sessions]
    started = time.monotonic()
    timeline: dict[str, float] = {}

    def mark(event: str) -> None:
        timeline[event] = round(time.monotonic() - started, 1)
        say(f"{event} (t={timeline[event]} s)")

    for thread in threads:
        thread.start()
    time.sleep(steady_s)
    for index in (0, 1):
        mark(f"kill -9 app{index + 1} (master and workers)")
        m.kill(f"app{index + 1}")
        time.sleep(down_s)
        mark(f"start app{index + 1} again")
        m.app_start(index)
        m.app_ready(index)
        mark(f"app{index + 1} ready")
        # The proxy's health checks take it back (rise 2), then give it its full share of
        # requests over slowstart (10 s); the next fault comes once it carries its part.
        time.sleep(steady_s + 10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    # A session that survived all this is still signed in: its last page is the case list.
    for user, session, _ in sessions:
        status, page = session.get("/cases/")
        if status != 200 or not case_ids(page):
            failures.append(f"{user} signed out after the failover ({status})")
    times = [started, *sorted(ok_times)]
    gap, gap_from = max(((b - a, a) for a, b in itertools.pairwise(times)), default=(0.0, started))
    result = {
        "requests": len(ok_times) + len(failures),
        "failed": len(failures),
        "longest_gap_ms": round(gap * 1000),
        "longest_gap_at_s": round(gap_from - started, 1),
        "seconds": round(time.monotonic() - started, 1),
        "timeline_s": timeline,
    }
    if failures:
        result["first_failures"] = failures[:5]
    say(f"failover: {result}")
    return result


# --- drill 3: crash under writes ------------------------------------------------------


def drill_crash(m: Machinery, *, writers: int = 4, before_s: float = 5, after_s: float = 4) -> dict:
    token = api_token(WRITE_USER)
    status, listing = api("GET", "/api/v1/cases/?page_size=50", token=token)
    rows = listing.get("results", []) if isinstance(listing, dict) else listing or []
    cases = [row["id"] for row in rows if not row.get("sealed") and row.get("status") != "closed"]
    if status != 200 or not cases:
        raise DrillFailed(f"{WRITE_USER} has no open case to write to ({status})")
    say(f"{writers} writers POST incidents through the API on {len(cases)} cases (token with TOTP)")
    stop = threading.Event()
    lock = threading.Lock()
    acknowledged: list[int] = []
    errors: dict[str, int] = {}

    def write(index: int) -> None:
        n = index
        while not stop.is_set():
            case = cases[n % len(cases)]
            n += writers
            body = {
                "occurred_on": time.strftime("%Y-%m-%d"),
                "forms": ["psychological"],
                "narrative": f"drill write {uuid.uuid4()}",
            }
            try:
                status, answer = api(
                    "POST",
                    f"/api/v1/cases/{case}/incidents/",
                    token=token,
                    body=body,
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
            except OSError as error:
                status, answer = type(error).__name__, None
            failed = False
            with lock:
                if isinstance(status, int) and 200 <= status < 300 and isinstance(answer, dict):
                    acknowledged.append(int(answer["id"]))
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
                    failed = True
            if failed:
                time.sleep(0.2)  # a client backs off before trying again

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    time.sleep(before_s)
    say("kill -9 both app servers under writes")
    m.kill("app1")
    m.kill("app2")
    time.sleep(2)
    say("bring both back")
    m.apps_start()
    time.sleep(after_s)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    found: set[int] = set()
    for chunk in range(0, len(acknowledged), 500):
        ids = ",".join(map(str, acknowledged[chunk : chunk + 500]))
        found |= {
            int(i) for i in m.psql(f"SELECT id FROM cases_incident WHERE id IN ({ids})").split()
        }
    lost = sorted(set(acknowledged) - found)
    result = {"acknowledged": len(acknowledged), "lost": len(lost), "not_acknowledged": errors}
    if lost:
        result["lost_ids"] = lost[:20]
    say(f"crash: {result}")
    return result


# --- drill 4: reports from the replica -------------------------------------------------


def report_sessions() -> list[tuple[Session, str]]:
    """The analyst on the validation report, the chair on her series' figures."""
    analyst, chair = Session(), Session()
    analyst.sign_in("analyst")
    chair.sign_in("chair")
    _, page = chair.get("/conferences/")
    series = sorted({int(i) for i in re.findall(r'href="/conferences/series/(\d+)/', page)})
    if not series:
        raise DrillFailed("the chair sees no conference series")
    return [(analyst, "/risk/validation/"), (chair, f"/conferences/series/{series[0]}/figures/")]


def drill_replica(m: Machinery) -> dict:
    # Does this build of Birge know a replica at all?
    probe = (
        m.birge(
            "shell",
            "-c",
            (
                "import json\nfrom django.conf import settings\n"
                "print(json.dumps({'aliases': sorted(settings.DATABASES), 'routers': list(settings.DATABASE_ROUTERS)}))"
            ),
            env={"REPLICA_DATABASE_URL": m.url(PORT_REPLICA)},
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    known = json.loads(probe)
    if len(known["aliases"]) < 2 or not known["routers"]:
        say("REPLICA_DATABASE_URL has no effect on this build: no replica alias or router")
        reports = report_sessions()
        on_primary = {path: session.get(path, timeout=60)[0] for session, path in reports}
        say(f"the reports from the primary alone: {on_primary}")
        return {"status": "router not present", "passed": None, "on_primary": on_primary}
    say(
        f"databases {known['aliases']}, routers {known['routers']}: restart the app servers with the replica"
    )
    m.apps_stop()
    replica_env = {"REPLICA_DATABASE_URL": m.url(PORT_REPLICA), "BIRGE_REPLICA_MAX_LAG": "30"}
    m.apps_start(replica_env)
    time.sleep(2.5)  # health checks
    reports = report_sessions()

    def fetch_all() -> dict[str, int]:
        return {path: session.get(path, timeout=60)[0] for session, path in reports}

    log = m.replica_log()
    size = log.stat().st_size
    # A write on the primary while reports are read: it reaches the replica by streaming.
    marker = f"drill-{uuid.uuid4().hex[:8]}"
    m.psql("CREATE TABLE IF NOT EXISTS marker (note text)", database="drill")
    m.psql(f"INSERT INTO marker VALUES ('{marker}')", database="drill")
    served = fetch_all()
    time.sleep(0.5)
    with open(log, errors="replace") as handle:
        handle.seek(size)
        statements = [line for line in handle if f"[{DATABASE}]" in line and "statement:" in line]
    # Reads of Birge's tables (Django quotes their names), not a lag probe of the router.
    reads = [s for s in statements if "SELECT" in s.upper() and 'FROM "' in s]
    streamed = m.psql(
        f"SELECT count(*) FROM marker WHERE note = '{marker}'", port=PORT_REPLICA, database="drill"
    )
    say(
        f"with the replica: {served}; {len(reads)} SELECT statements logged by the replica; "
        f"primary's write seen on the replica: {streamed == '1'}"
    )
    say("stop the replica (pg_ctl stop -m fast)")
    m.pg_stop(m.pg / "replica")
    fallback = fetch_all()
    say(f"without the replica: {fallback}")
    passed = (
        all(s == 200 for s in served.values())
        and all(s == 200 for s in fallback.values())
        and len(reads) > 0
        and streamed == "1"
    )
    return {
        "status": "served from the replica, fell back" if passed else "failed",
        "passed": passed,
        "with_replica": served,
        "replica_selects": len(reads),
        "streamed": streamed == "1",
        "without_replica": fallback,
    }


# --- drill 2: restore and point-in-time recovery ----------------------------------------


CHECKSUM_SQL = """
SELECT string_agg(format(
    'SELECT %L AS t, count(*) AS n, md5(coalesce(string_agg(x::text, E''\\n'' ORDER BY x::text), '''')) FROM %I x',
    tablename, tablename), ' UNION ALL ' ORDER BY tablename)
FROM pg_tables WHERE schemaname = 'public'
"""


def checksums(m: Machinery, database: str) -> dict[str, str]:
    query = m.psql(CHECKSUM_SQL, database=database)
    rows = m.psql(query, database=database, timeout=300).splitlines()
    return {row.split("|")[0]: row for row in rows}


def drill_restore(m: Machinery) -> dict:
    m.apps_stop()  # nothing writes while the dump is compared with its restore
    say("seal and sign a checkpoint (birge audit checkpoint --append-to FILE)")
    m.birge("jobs", "run", "audit_seal")
    m.birge("audit", "checkpoint", "--append-to", m.checkpoints)
    dump = m.base / "birge.dump"
    started = time.monotonic()
    subprocess.run([PG_BIN / "pg_dump", "-Fc", "-f", dump, m.url()], check=True, timeout=300)
    dump_s = time.monotonic() - started
    say(
        f"pg_dump -Fc: {dump.stat().st_size // 1024} KiB in {dump_s:.1f} s; restore into a fresh database"
    )
    m.psql("CREATE DATABASE birge_restored", database="postgres")
    started = time.monotonic()
    restored = m.url(database="birge_restored")
    command = [PG_BIN / "pg_restore", "--no-owner", "-j", "2", "-d", restored, dump]
    subprocess.run(command, check=True, timeout=600)
    restore_s = time.monotonic() - started
    restored_env = {"DATABASE_URL": m.url(database="birge_restored")}
    verify = m.birge(
        "audit", "verify", "--checkpoints", m.checkpoints, env=restored_env, check=False
    )
    rto_s = time.monotonic() - started
    say(
        f"birge audit verify --checkpoints: exit {verify.returncode}: {verify.stdout.strip()[-300:]}"
    )
    before, after = checksums(m, DATABASE), checksums(m, "birge_restored")
    differ = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    say(
        f"{len(before)} tables, {len(differ)} differ; restore {restore_s:.1f} s, with verify {rto_s:.1f} s"
    )
    result = {
        "tables": len(before),
        "identical": not differ,
        "audit_verify": verify.returncode == 0,
        "dump_s": round(dump_s, 1),
        "restore_s": round(restore_s, 1),
        "rto_s": round(rto_s, 1),
    }
    if differ:
        result["differ"] = differ[:10]
    result.update(pitr(m))
    return result


def pitr(m: Machinery) -> dict:
    say("point-in-time recovery: base backup, rows, a timestamp, more rows, restore to it")
    m.psql("CREATE DATABASE drill_pitr", database="postgres")
    m.psql("CREATE TABLE rows (id serial PRIMARY KEY, phase text NOT NULL)", database="drill_pitr")
    base = m.pg / "base"
    m.base_backup(base, "-X", "none")  # the WAL comes from the archive
    m.psql(
        "INSERT INTO rows (phase) SELECT 'before' FROM generate_series(1, 100)",
        database="drill_pitr",
    )
    time.sleep(1.1)
    target = m.psql("SELECT clock_timestamp()", database="drill_pitr")
    time.sleep(1.1)
    m.psql(
        "INSERT INTO rows (phase) SELECT 'after' FROM generate_series(1, 100)",
        database="drill_pitr",
    )
    segment = m.psql("SELECT pg_walfile_name(pg_current_wal_lsn())", database="postgres")
    m.psql("SELECT pg_switch_wal()", database="postgres")
    deadline = time.monotonic() + 60
    while not (m.archive / segment).exists():
        if time.monotonic() > deadline:
            raise DrillFailed(f"WAL segment {segment} not archived after 60 s")
        time.sleep(0.3)
    say(f"restore the base backup to {target} with restore_command from the archive")
    (base / "postmaster.pid").unlink(missing_ok=True)
    with open(base / "postgresql.auto.conf", "a") as conf:
        conf.write(
            f"restore_command = 'cp {m.archive}/%f %p'\n"
            f"recovery_target_time = '{target}'\n"
            "recovery_target_action = 'promote'\n"
            "archive_mode = off\n"
        )
    (base / "recovery.signal").touch()
    shutil.chown(base / "recovery.signal", "postgres", "postgres")
    started = time.monotonic()
    m.pg_start(base, PORT_PITR)
    deadline = time.monotonic() + 60
    while m.psql("SELECT pg_is_in_recovery()", port=PORT_PITR, database="postgres") == "t":
        if time.monotonic() > deadline:
            raise DrillFailed("the point-in-time copy did not finish recovery in 60 s")
        time.sleep(0.3)
    counts = dict(
        line.split("|")
        for line in m.psql(
            "SELECT phase, count(*) FROM rows GROUP BY phase", port=PORT_PITR, database="drill_pitr"
        ).splitlines()
    )
    pitr_s = time.monotonic() - started
    m.pg_stop(base)
    ok = counts.get("before") == "100" and "after" not in counts
    say(f"point in time: {counts} (100 before, none after expected), recovered in {pitr_s:.1f} s")
    return {"pitr": ok, "pitr_rows": counts, "pitr_s": round(pitr_s, 1)}


# --- the run ---------------------------------------------------------------------------


DRILLS = {
    "failover": (drill_failover, 180),
    "crash": (drill_crash, 150),
    "replica": (drill_replica, 150),
    "restore": (drill_restore, 300),
}


def passed(name: str, result: dict) -> bool:
    if "error" in result:
        return False
    if name == "failover":
        return result["failed"] == 0 and result["requests"] > 0
    if name == "crash":
        return result["lost"] == 0 and result["acknowledged"] > 0
    if name == "restore":
        return result["identical"] and result["audit_verify"] and result["pitr"]
    if name == "replica":
        return result["passed"] is not False  # None: no router in this build, reported as such
    return False


def _alarm(signum, frame):
    raise DrillTimeout


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--drills", default=",".join(DRILLS), help="comma-separated (default: all, in this order)"
    )
    parser.add_argument(
        "--cases",
        type=int,
        default=int(os.environ.get("DRILL_CASES", "60")),
        help="synthetic cases",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs)")
    options = parser.parse_args()
    chosen = [d.strip() for d in options.drills.split(",") if d.strip()]
    unknown = set(chosen) - set(DRILLS)
    if unknown:
        parser.error(f"unknown drills: {', '.join(sorted(unknown))}")
    if os.geteuid() != 0:
        parser.error("run as root: the drill's clusters run as the postgres OS user (runuser)")
    for tool in ("haproxy", "redis-server", PG_BIN / "initdb"):
        if not shutil.which(str(tool)):
            parser.error(f"{tool} is missing (apt-get install haproxy redis-server postgresql-15)")
    busy = [
        p
        for p in (PORT_PRIMARY, PORT_REPLICA, PORT_PITR, PORT_REDIS, *PORT_APPS, PORT_PROXY)
        if not port_free(p)
    ]
    if busy:
        parser.error(f"ports in use: {busy} (DRILL_PORT_* to choose others)")

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGALRM, _alarm)
    base = Path(tempfile.mkdtemp(prefix="birge-drill-"))
    base.chmod(0o755)
    m = Machinery(base, options.cases)
    results: dict[str, dict] = {}
    setup_s = None
    try:
        signal.alarm(900)
        started = time.monotonic()
        say(f"set-up in {base}: PostgreSQL primary :{PORT_PRIMARY} (WAL archiving on)")
        m.primary_make()
        m.redis_start()
        m.seed()
        say(f"streaming replica :{PORT_REPLICA} (pg_basebackup -R)")
        m.replica_make()
        say(f"two app servers :{PORT_APPS[0]} :{PORT_APPS[1]} (gunicorn), HAProxy :{PORT_PROXY}")
        m.apps_start()
        m.proxy_start()
        time.sleep(2)
        setup_s = round(time.monotonic() - started, 1)
        signal.alarm(0)
        for name in chosen:
            function, limit = DRILLS[name]
            say(f"== {name} (at most {limit} s)")
            signal.alarm(limit)
            try:
                results[name] = function(m)
            except DrillTimeout:
                results[name] = {"error": f"timed out after {limit} s"}
            except DrillFailed as error:
                results[name] = {"error": str(error)}
            finally:
                signal.alarm(0)
            if name != "restore" and name != chosen[-1]:
                # The next drill starts from two ready app servers.
                for index in (0, 1):
                    if m.processes[f"app{index + 1}"].poll() is not None:
                        m.app_start(index)
                        m.app_ready(index)
    except DrillTimeout:
        results["setup"] = {"error": "set-up timed out after 900 s"}
    except DrillFailed as error:
        results["setup"] = {"error": str(error)}
    finally:
        signal.alarm(0)
        say("clean-up: app servers, proxy, Redis, clusters")
        m.close()
        if options.keep:
            say(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    ok = (
        "setup" not in results
        and all(passed(n, r) for n, r in results.items())
        and len(results) == len(chosen)
    )
    print(
        json.dumps(
            {
                **results,
                "setup_s": setup_s,
                "total_s": round(time.monotonic() - T0, 1),
                "passed": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
