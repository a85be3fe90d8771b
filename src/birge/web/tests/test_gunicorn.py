"""deploy/gunicorn.conf.py: a gunicorn master killed with SIGKILL does not keep the service
down. A new master started at once binds the port and serves while the dead one's workers
finish what they hold; those workers take no new connection and then exit.

Real processes on a free loopback port, a tiny WSGI application (what is tested is the
configuration, not Birge), generous bounded waits and no timing assertion.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[4] / "deploy" / "gunicorn.conf.py"

# /hold answers only once the test creates the file "release"; every answer names the
# process that gave it and its parent (its master).
APP = """
import os, time
from pathlib import Path

HERE = Path(__file__).parent

def application(environ, start_response):
    if environ["PATH_INFO"] == "/hold":
        (HERE / "holding").write_text(str(os.getpid()))
        while not (HERE / "release").exists():
            time.sleep(0.05)
    body = f"{os.getpid()} {os.getppid()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
"""

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT and prctl: Linux")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str = "/", timeout: float = 10) -> tuple[int, int]:
    """The (pid, master pid) that answered; a refused or unanswered connection raises."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        pid, ppid = response.read().decode().split()
    return int(pid), int(ppid)


def _wait_for(condition, *, within: float, what: str):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"not within {within} s: {what}")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …; comm may hold spaces and brackets.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's reaping is left


def _serving(port: int, master_pid: int) -> bool:
    try:
        return _get(port, timeout=2)[1] == master_pid
    except OSError:
        return False


@pytest.fixture
def start_master(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    port = _free_port()
    masters: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "BIRGE_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
    }

    def start() -> subprocess.Popen:
        master = subprocess.Popen(  # noqa: S603 - this Python, our configuration
            [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "app"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        masters.append(master)
        return master

    start.port = port  # type: ignore[attr-defined]
    yield start
    (tmp_path / "release").touch()
    for master in masters:
        if master.poll() is None:
            master.terminate()
            master.wait(timeout=60)


def test_a_new_master_serves_at_once_after_the_old_one_was_killed(start_master, tmp_path):
    port = start_master.port
    old = start_master()
    _wait_for(lambda: _serving(port, old.pid), within=60, what="the first master serves")
    old_workers = _wait_for(
        lambda: len(_children(old.pid)) == 2 and _children(old.pid),
        within=30,
        what="both workers started",
    )

    held: dict[str, object] = {}
    holder = threading.Thread(target=lambda: held.update(answer=_get(port, "/hold", timeout=120)))
    holder.start()
    holding = _wait_for(
        lambda: (tmp_path / "holding").exists() and (tmp_path / "holding").read_text(),
        within=30,
        what="a request in progress",
    )

    os.kill(old.pid, signal.SIGKILL)
    old.wait()
    new = start_master()

    # The new master binds and serves although a worker of the old one is still busy…
    _wait_for(lambda: _serving(port, new.pid), within=60, what="the new master serves")
    assert _running(int(holding))
    # …and every new connection goes to the new workers: an orphan that still listened
    # would leave about a third of them unanswered until it ends.
    for _ in range(20):
        assert _get(port, timeout=10)[1] == new.pid

    # The orphan finishes the request it holds, then both old workers are gone.
    (tmp_path / "release").touch()
    holder.join(timeout=60)
    assert held["answer"][0] == int(holding)  # type: ignore[index]
    _wait_for(
        lambda: not any(_running(pid) for pid in old_workers),
        within=60,
        what="the old master's workers exit",
    )
    assert new.poll() is None
