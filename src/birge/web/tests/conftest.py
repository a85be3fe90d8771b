"""`replica_at`: the alias "replica" for one test, as REPLICA_DATABASE_URL would add it.
`demo_server`, `browser`, `page`: the browser tests' demo Birge (one for the whole run,
shared by every e2e module) and Chromium.

The suite runs without REPLICA_DATABASE_URL; a test that needs a replica points the alias
at the test database itself (a second connection: a primary, not in recovery) or at a
port where nothing listens."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import load_backend
from playwright.sync_api import sync_playwright

from birge.cases.tests.conftest import browse  # noqa: F401 - a signed-in browser
from birge.web import replica


def closed_port() -> int:
    """A port on the loopback where nothing listens (taken from the system, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def replica_at(_django_db_helper, monkeypatch):
    """`replica_at("same")`: a second connection to the test database (PostgreSQL);
    `replica_at("closed")`: a PostgreSQL server on a closed port. A connection made for
    the test, not a configured alias, so that the test's guard against other databases
    lets it connect."""
    replica.forget_verdict()

    def point(where: str) -> None:
        default = connections["default"].settings_dict
        entry = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
        if where == "closed":
            entry.update(
                ENGINE="django.db.backends.postgresql",
                NAME="birge",
                USER="birge",
                PASSWORD="",
                HOST="127.0.0.1",
                PORT=str(closed_port()),
                OPTIONS={"connect_timeout": 2},
            )
        elif default["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip("a second connection to the same database: PostgreSQL only")
        made.append(load_backend(entry["ENGINE"]).DatabaseWrapper(entry, alias=replica.REPLICA))
        connections[replica.REPLICA] = made[-1]
        monkeypatch.setattr(replica, "configured", lambda: True)

    made: list = []
    yield point
    for wrapper in made:
        wrapper.close()
    if made:
        del connections[replica.REPLICA]
    replica.forget_verdict()


# --- The browser tests (marker e2e) ----------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Settings from the calling shell that would make this something other than the demo:
# CI's PostgreSQL or Redis, other hosts, DEBUG, mandatory two-factor sign-in.
INHERITED_STATE = ("DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DEBUG", "BIRGE_REQUIRE_2FA")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own server
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """A demo Birge on a free port: migrate, collectstatic, demo, runserver."""
    var_dir = tmp_path_factory.mktemp("birge-var")
    env = {
        name: value
        for name, value in os.environ.items()
        if name.removesuffix("_FILE") not in INHERITED_STATE
    }
    env.update(BIRGE_DEMO="1", BIRGE_HTTPS="0", BIRGE_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    birge = [sys.executable, "-m", "birge"]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["collectstatic", "--no-input", "-v0"],
        # Synthetic cases too: the risk conference queues the high-risk ones.
        ["demo", "--cases", "150"],
    ):
        done = subprocess.run(  # noqa: S603 - our own command
            birge + command, env=env, cwd=var_dir, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"birge {command[0]} failed:\n{done.stdout}\n{done.stderr}"

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "runserver.log"
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [*birge, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=var_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while not _answers(base_url + "/account/login/"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The demo server did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# Module scope: while Playwright runs, its event loop makes the ORM refuse to work, so it
# must be gone before any other test module runs in the same session.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
