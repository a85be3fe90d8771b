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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent
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


class MixedUser(_BenchUser):
    """Part (a): the four kinds of page, at a fixed rate per user (set by the runner)."""

    abstract = True
    wait_time = constant_throughput(1.0)

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


def main() -> int:
    plan_path, results_path = sys.argv[1], sys.argv[2]
    with open(plan_path) as f:
        plan = json.load(f)
    port = int(plan["port"])
    Context.plan = plan
    mode = plan.get("mode", "full")

    started = time.perf_counter()
    for account in plan["accounts"]:
        Context.sessions[account["username"]] = sign_in(port, account)
    sign_in_ms = [ms for s in Context.sessions.values() for ms in s.steps_ms]
    sys.stdout.write(
        f"  signed in {len(Context.sessions)} accounts (form + TOTP) in "
        f"{time.perf_counter() - started:.1f} s\n"
    )
    sys.stdout.flush()
    results: dict[str, Any] = {"sign_in_requests_ms": sign_in_ms}

    if mode == "full":
        rate = float(plan["rate"])
        users = int(plan["mixed_users"])
        recorder = Recorder()
        # Each simulated user keeps to rate/users requests per second: a fixed arrival
        # rate as long as one request takes less than users/rate seconds.
        MixedUser.wait_time = constant_throughput(rate / users)
        mixed = type("Mixed", (MixedUser,), {"abstract": False})
        names = ["a.case_list_first", "a.case_list_deep", "a.search_by_name", "a.case_detail"]
        sys.stdout.write(
            f"  (a) mixed workload: {users} users at {rate / users:.2f} req/s each "
            f"= {rate:.0f} req/s for {plan['mixed_seconds']} s\n"
        )
        sys.stdout.flush()
        _run(mixed, users, port, recorder, float(plan["mixed_seconds"]), 5.0, names)
        results["mixed"] = {n: recorder.scenarios[n].summary() for n in names}
        total = sum(len(recorder.scenarios[n].latencies_ms) for n in names)
        results["mixed_total_rps"] = round(total / recorder.scenarios[names[0]].seconds, 1)
        # Requests still queued in the server would be served during part (b): drain them.
        gevent.sleep(10.0)

    # Part (b): alternate the case list and its baseline, so that the machine's noise
    # (this machine is shared) falls on both alike.
    recorder = Recorder()
    users = int(plan["saturation_users"])
    rounds = int(plan["saturation_rounds"])
    seconds = float(plan["saturation_seconds"]) / rounds
    listing = type("CaseList", (ListUser,), {"abstract": False})
    baseline = type("Baseline", (BaselineUser,), {"abstract": False})
    sys.stdout.write(
        f"  (b) saturation: {users} users without pause, {rounds} x ({seconds:.0f} s case list "
        f"+ {seconds:.0f} s baseline)\n"
    )
    sys.stdout.flush()
    for _ in range(rounds):
        if mode != "baseline-only":
            _run(listing, users, port, recorder, seconds, 2.0, ["b.case_list"])
        if mode != "list-only":
            _run(baseline, users, port, recorder, seconds, 2.0, ["b.baseline"])
    results["saturation"] = {n: s.summary() for n, s in recorder.scenarios.items()}
    with open(results_path, "w") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
