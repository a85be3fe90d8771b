"""deploy/systemd/: units systemd accepts, which stop gunicorn as its configuration expects."""

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("birge-*"))
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def _setting(unit: Path, name: str) -> str:
    return re.search(rf"^{name}=(.*)$", unit.read_text(), re.MULTILINE).group(1).strip()


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="no systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    # The units' paths, /opt/birge/venv, pointed at this virtual environment: systemd checks
    # that each command exists.
    for unit in UNITS:
        text = unit.read_text().replace("/opt/birge/venv", sys.prefix)
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(  # noqa: S603 - our own units, in a folder of the test's
        [SYSTEMD_ANALYZE, "verify", *(str(tmp_path / unit.name) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_service_has_its_timer_or_restarts():
    services = [unit for unit in UNITS if unit.suffix == ".service"]
    assert {unit.stem for unit in services} >= {"birge-web", "birge-scheduler", "birge-checkpoint"}
    for service in services:
        if _setting(service, "Type") == "oneshot":
            assert (service.with_suffix(".timer")).exists(), service.name
        else:
            assert _setting(service, "Restart") == "always", service.name


def test_the_web_unit_lets_gunicorn_stop_gracefully(monkeypatch):
    monkeypatch.delenv("GUNICORN_GRACEFUL_TIMEOUT", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    web = DEPLOY / "systemd" / "birge-web.service"

    assert "-c /opt/birge/src/deploy/gunicorn.conf.py birge.wsgi" in _setting(web, "ExecStart")
    assert _setting(web, "KillMode") == "mixed"
    assert int(_setting(web, "TimeoutStopSec")) > config["graceful_timeout"]
    assert config["reuse_port"] is True
