"""`birge check --deploy` is clean under production settings, and catches DEBUG left on."""

import base64
import os
import secrets
import string
import subprocess
import sys


def _production_env(tmp_path, **extra) -> dict[str, str]:
    """Only what an operator sets in production; nothing from the test run leaks in."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "birge.example.gov.az",
        "BIRGE_VAR_DIR": str(tmp_path / "var"),
        # Secrets production must set itself (no local fallback without HTTPS).
        "BIRGE_ENCRYPTION_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "BIRGE_BLIND_INDEX_KEY": secrets.token_hex(32),
        "BIRGE_AUDIT_CHECKPOINT_KEY": secrets.token_hex(32),
    }
    return {**env, **extra}


def _check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "birge", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_check_is_clean_under_production_settings(tmp_path):
    result = _check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_with_debug_on(tmp_path):
    result = _check(_production_env(tmp_path, DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _check(env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
