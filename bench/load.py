"""The load generator of the web benchmark (locust, headless, only 127.0.0.1).

Started by bench/bench_web.py as `python bench/load.py PLAN RESULTS`. PLAN (JSON) names
the server's port, the accounts with their password and TOTP key, and for each account
the cases, deep `before` ids and names it may use. RESULTS (JSON) receives, per
scenario, the latencies' percentiles, the requests per second and the error count.

Every account signs in once, through the real sign-in form and the real two-factor step
(a code computed from the TOTP key the bench gave her device). The simulated users of
an account then share her session, as the tabs of one browser would: django-otp accepts
each code once per device and 30-second step, so one sign-in per account is what a
real person can do too.

The server runs as behind the TLS proxy of production: every request carries
`X-Forwarded-Proto: https`, and the session and CSRF cookies (marked Secure) are sent
by hand, since a cookie jar would not send Secure cookies over plain HTTP.
"""

# locust monkey-patches the standard library when it is imported: import it first.
import locust  # noqa: I001

import http.client
import json
import math
import random
import re
import statistics
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent
from gevent import subprocess as gsubprocess
from django_otp.oath import totp
from locust import FastHttpUser, constant, constant_throughput, task
from locust.env import Environment

HOST = "127.0.0.1"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- Recording -------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)
        count = len(ordered)

        def pct(p: float) -> float:
            if not ordered:
                return 0.0
            # Nearest rank: the smallest latency with at least p % of them at or below it.
            return round(ordered[min(count - 1, max(0, math.ceil(p / 100 * count) - 1))], 1)

        return {
            "requests": count,
            "errors": self.errors,
            "rps": round(count / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": round(statistics.fmean(ordered), 1) if ordered else 0.0,
            "seconds": round(self.seconds, 1),
            "error_samples": self.error_samples[:5],
        }


class Recorder:
    """Collects every request's latency by name while a measuring window is open."""

    def __init__(self) -> None:
        self.scenarios: dict[str, Scenario] = {}
        self.active = False

    def on_request(self, name: str, response_time: float, exception: Any, **_kw: Any) -> None:
        if not self.active:
            return
        scenario = self.scenarios.setdefault(name, Scenario(name))
        scenario.latencies_ms.append(response_time)
        if exception is not None:
            scenario.errors += 1
            if len(scenario.error_samples) < 5:
                scenario.error_samples.append(str(exception)[:200])


# --- Signing in over HTTP: the real form, the real two-factor step --------------------


@dataclass
class Session:
    username: str
    cookie: str
    steps_ms: list[float]


def _cookies_update(jar: dict[str, str], response: http.client.HTTPResponse) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def _request(
    port: int,
    jar: dict[str, str],
    method: str,
    path: str,
    form: dict[str, str] | None = None,
) -> tuple[int, str, str, float]:
    headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https"}
    if jar:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}:{port}"
        headers["Referer"] = f"https://{HOST}:{port}{path}"
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    start = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    elapsed = (time.perf_counter() - start) * 1000
    _cookies_update(jar, response)
    location = response.getheader("Location") or ""
    connection.close()
    return response.status, text, location, elapsed


def _csrf(text: str) -> str:
    match = _CSRF_FIELD.search(text)
    if not match:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


def sign_in(port: int, account: dict[str, Any]) -> Session:
    """Password, then the TOTP code; returns the session's cookies."""
    jar: dict[str, str] = {}
    steps = []
    status, text, _, ms = _request(port, jar, "GET", "/account/login/")
    steps.append(ms)
    if status != 200:
        raise RuntimeError(f"sign-in form answered {status}")
    form = {
        "csrfmiddlewaretoken": _csrf(text),
        "username": account["username"],
        "password": account["password"],
        "next": "",
    }
    status, _, location, ms = _request(port, jar, "POST", "/account/login/", form)
    steps.append(ms)
    if status != 302:
        raise RuntimeError(f"{account['username']}: password step answered {status}")
    status, text, _, ms = _request(port, jar, "GET", "/account/two-factor/")
    steps.append(ms)
    if status != 200:
        raise RuntimeError(f"{account['username']}: two-factor form answered {status}")
    code = f"{totp(bytes.fromhex(account['totp_key'])):06d}"
    form = {"csrfmiddlewaretoken": _csrf(text), "code": code}
    status, _, location, ms = _request(port, jar, "POST", "/account/two-factor/", form)
    steps.append(ms)
    if status != 302 or "two-factor" in location:
        raise RuntimeError(f"{account['username']}: the TOTP code was refused ({status})")
    status, _, location, ms = _request(port, jar, "GET", "/cases/")
    steps.append(ms)
    if status != 200:
        raise RuntimeError(f"{account['username']}: after sign-in /cases/ answered {status}")
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return Session(username=account["username"], cookie=cookie, steps_ms=steps)


# --- The simulated users ---------------------------------------------------------------


class Context:
    """What the user classes read: the plan, the sessions, a counter to spread accounts."""

    plan: dict[str, Any] = {}
    sessions: dict[str, Session] = {}
    next_index = 0

    @classmethod
    def account(cls) -> tuple[dict[str, Any], dict[str, str]]:
        accounts = cls.plan["accounts"]
        account = accounts[cls.next_index % len(accounts)]
        cls.next_index += 1
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": cls.sessions[account["username"]].cookie,
        }
        return account, headers


class _BenchUser(FastHttpUser):
    abstract = True
    host = f"http://{HOST}"
    # One connection per simulated user, like a browser's keep-alive connection.
    concurrency = 1
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.account, self.headers = Context.account()
        self.rng = random.Random(Context.next_index)  # noqa: S311 - load shape, not security

    def _get(self, name: str, path: str, expect: str = "") -> None:
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {path}")
            elif expect and expect not in (response.text or ""):
                response.failure(f"{path}: expected content missing")
            else:
                response.success()

    def _post(self, name: str, path: str, body: dict[str, Any], expect: int) -> None:
        """An API create as an agency's system sends it: her token, an Idempotency-Key."""
        headers = {
            "X-Forwarded-Proto": "https",
            "Authorization": f"Token {self.account['token']}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        with self.client.post(
            path, name=name, json=body, headers=headers, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(
                    f"HTTP {response.status_code} for POST {path}: {response.text[:120]}"
                )
            else:
                response.success()


class MixedUser(_BenchUser):
    """The mixed load: the four kinds of page and two writes (an incident, a referral),
    at a fixed rate per user (set by the runner), or without pause at saturation."""

    abstract = True
    wait_time = constant_throughput(1.0)

    @task(1)
    def incident(self) -> None:
        cases = self.account["write_case_ids"]
        if not cases:
            return MixedUser.case_detail(self)
        case_id = self.rng.choice(cases)
        body = {"occurred_on": time.strftime("%Y-%m-%d"), "forms": ["psychological"]}
        self._post("a.incident", f"/api/v1/cases/{case_id}/incidents/", body, 201)

    @task(1)
    def referral(self) -> None:
        target = self.account["referral"]
        if not target:
            return MixedUser.case_list_first_page(self)
        body = {
            "case": self.rng.choice(target["case_ids"]),
            "agency": target["agency_id"],
            "service_kind": target["service_kind"],
            "summary": "Bench: she asks for a place and legal advice (synthetic).",
        }
        self._post("a.referral", "/api/v1/referrals/", body, 201)

    @task(3)
    def case_list_first_page(self) -> None:
        self._get("a.case_list_first", "/cases/", expect="/cases/")

    @task(2)
    def case_list_deep_page(self) -> None:
        before = self.rng.choice(self.account["deep_befores"])
        self._get("a.case_list_deep", f"/cases/?before={before}", expect="/cases/")

    @task(2)
    def search_by_name(self) -> None:
        name = self.rng.choice(self.account["names"])
        self._get("a.search_by_name", "/cases/?" + urllib.parse.urlencode({"q": name}))

    @task(3)
    def case_detail(self) -> None:
        case_id = self.rng.choice(self.account["detail_ids"])
        self._get("a.case_detail", f"/cases/{case_id}/")


MIXED = [
    "a.case_list_first",
    "a.case_list_deep",
    "a.search_by_name",
    "a.case_detail",
    "a.incident",
    "a.referral",
]


class SingleUser(_BenchUser):
    """One scenario of the mixed load at saturation (the class names it: `scenario`)."""

    abstract = True
    wait_time = constant(0)
    scenario = ""

    @task
    def one(self) -> None:
        getattr(MixedUser, self.scenario)(self)


class ListUser(_BenchUser):
    """Part (b): the first page of the case list, as fast as the server answers."""

    abstract = True
    wait_time = constant(0)

    @task
    def case_list(self) -> None:
        self._get("b.case_list", "/cases/", expect="/cases/")


class BaselineUser(_BenchUser):
    """Part (b): the same page as plain JSON, as fast as the server answers."""

    abstract = True
    wait_time = constant(0)

    @task
    def baseline(self) -> None:
        path = f"/__bench__/baseline/cases/?agency={self.account['agency_id']}"
        self._get("b.baseline", path, expect='"cases"')


def _run(
    user_class: type[FastHttpUser],
    users: int,
    port: int,
    recorder: Recorder,
    seconds: float,
    warmup: float,
    names: list[str],
) -> None:
    """Run one locust phase; record only after the warm-up, for `seconds`."""
    user_class.host = f"http://{HOST}:{port}"
    env = Environment(user_classes=[user_class], events=locust.events)
    listener: Callable[..., None] = recorder.on_request
    env.events.request.add_listener(listener)
    runner = env.create_local_runner()
    try:
        runner.start(user_count=users, spawn_rate=max(users, 1))
        gevent.sleep(warmup)
        before = {n: len(recorder.scenarios.get(n, Scenario(n)).latencies_ms) for n in names}
        recorder.active = True
        started = time.perf_counter()
        gevent.sleep(seconds)
        recorder.active = False
        elapsed = time.perf_counter() - started
        for name in names:
            recorder.scenarios.setdefault(name, Scenario(name)).seconds += elapsed
        runner.quit()
    finally:
        env.events.request.remove_listener(listener)
    got = {n: len(recorder.scenarios[n].latencies_ms) - before[n] for n in names}
    sys.stdout.write(f"    {user_class.__name__}: {got} in {elapsed:.1f} s\n")
    sys.stdout.flush()


def _single(scenario: str) -> type[FastHttpUser]:
    method = {
        "a.case_list_first": "case_list_first_page",
        "a.case_list_deep": "case_list_deep_page",
        "a.search_by_name": "search_by_name",
        "a.case_detail": "case_detail",
        "a.incident": "incident",
        "a.referral": "referral",
    }[scenario]
    return type(f"Single_{method}", (SingleUser,), {"abstract": False, "scenario": method})


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _mixed_at(rate: float, users: int) -> type[FastHttpUser]:
    """Each simulated user keeps to rate/users requests per second: a fixed arrival rate as
    long as one request takes less than users/rate seconds."""
    return type(
        "Mixed",
        (MixedUser,),
        {"abstract": False, "wait_time": constant_throughput(rate / users)},
    )


def _summaries(recorder: Recorder, names: list[str]) -> dict[str, Any]:
    """Per scenario, and `all`: every request of them together."""
    found = [recorder.scenarios[n] for n in names if n in recorder.scenarios]
    together = Scenario("all", seconds=max((s.seconds for s in found), default=0.0))
    for scenario in found:
        together.latencies_ms.extend(scenario.latencies_ms)
        together.errors += scenario.errors
        together.error_samples.extend(scenario.error_samples)
    return {s.name: s.summary() for s in found} | {"all": together.summary()}


def main() -> int:
    plan_path, results_path = sys.argv[1], sys.argv[2]
    with open(plan_path) as f:
        plan = json.load(f)
    port = int(plan["port"])
    Context.plan = plan
    users_mixed = int(plan["mixed_users"])
    users_sat = int(plan["saturation_users"])
    sat_seconds = float(plan["saturation_seconds"])
    rounds = int(plan["saturation_rounds"])
    mixed_seconds = float(plan["mixed_seconds"])

    started = time.perf_counter()
    for account in plan["accounts"]:
        Context.sessions[account["username"]] = sign_in(port, account)
    _say(
        f"  signed in {len(Context.sessions)} accounts (form + TOTP) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    results: dict[str, Any] = {
        "sign_in_requests_ms": [ms for s in Context.sessions.values() for ms in s.steps_ms]
    }
    baseline = type("Baseline", (BaselineUser,), {"abstract": False})

    # 1. What this machine can serve: the baseline at saturation.
    recorder = Recorder()
    _say(f"  (1) baseline at saturation: {users_sat} users without pause, {sat_seconds:.0f} s")
    _run(baseline, users_sat, port, recorder, sat_seconds, 3.0, ["b.baseline"])
    base_rps = recorder.scenarios["b.baseline"].summary()["rps"]
    results["baseline_first"] = recorder.scenarios["b.baseline"].summary()
    rate = float(plan.get("rate") or 0) or round(base_rps * float(plan["rate_fraction"]), 1)
    results["rate_asked"] = rate

    # 2. The mixed load offered at half of it.
    recorder = Recorder()
    _say(f"  (2) mixed load: {users_mixed} users, {rate:.1f} req/s in all, {mixed_seconds:.0f} s")
    _run(_mixed_at(rate, users_mixed), users_mixed, port, recorder, mixed_seconds, 5.0, MIXED)
    results["mixed"] = _summaries(recorder, MIXED)
    gevent.sleep(5.0)  # drain what is still queued

    # 3. The same load while the periodic jobs run, pass after pass, in one long-lived
    # process as `birge scheduler` runs them (bench/jobs_loop.py).
    command = plan.get("jobs_command")
    if command:
        recorder = Recorder()
        _say(f"  (3) mixed load during jobs passes, back to back, {mixed_seconds:.0f} s")
        # gevent's subprocess: waiting for it does not block the simulated users.
        jobs = gsubprocess.Popen(command, env=plan["jobs_env"], stdout=gsubprocess.PIPE)
        _run(_mixed_at(rate, users_mixed), users_mixed, port, recorder, mixed_seconds, 5.0, MIXED)
        jobs.terminate()
        out, _ = jobs.communicate(timeout=600)
        lines = out.decode().strip().splitlines()
        if jobs.returncode != 0 or not lines:
            raise SystemExit(f"the jobs loop failed (exit {jobs.returncode})")
        results["mixed_during_jobs"] = _summaries(recorder, MIXED)
        results["jobs_passes"] = json.loads(lines[-1])
        gevent.sleep(5.0)

    # 4. Each scenario and the mixed load at saturation, in rounds, each round beside the
    # baseline again, so that the machine's noise falls on both alike.
    recorder = Recorder()
    listing = type("CaseList", (ListUser,), {"abstract": False})
    mixed_free = type("MixedFree", (MixedUser,), {"abstract": False, "wait_time": constant(0)})
    scenarios = plan.get("saturation_scenarios", ["b.case_list", "b.mixed"])
    seconds = sat_seconds / rounds
    _say(
        f"  (4) saturation: {users_sat} users without pause, {rounds} rounds of {seconds:.0f} s each"
    )
    mixed_recorder = Recorder()
    for _ in range(rounds):
        _run(baseline, users_sat, port, recorder, seconds, 2.0, ["b.baseline"])
        for scenario in scenarios:
            if scenario == "b.case_list":
                _run(listing, users_sat, port, recorder, seconds, 2.0, ["b.case_list"])
            elif scenario == "b.mixed":
                _run(mixed_free, users_sat, port, mixed_recorder, seconds, 2.0, MIXED)
            else:
                _run(_single(scenario), users_sat, port, recorder, seconds, 2.0, [scenario])
    # (A scenario's fallback, a case page where it had nothing to write to, is not one.)
    saturation = {n: s.summary() for n, s in recorder.scenarios.items() if s.seconds}
    if "b.mixed" in scenarios:
        by_scenario = _summaries(mixed_recorder, MIXED)
        saturation["b.mixed"] = by_scenario.pop("all") | {"by_scenario": by_scenario}
    results["saturation"] = saturation
    with open(results_path, "w") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
