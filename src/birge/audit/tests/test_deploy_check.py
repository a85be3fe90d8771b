"""`birge check --deploy` fails, with an error, when production has no checkpoint key or a
short one: without it a cut audit log would pass `birge audit verify`."""

import pytest

from birge.audit.checks import checkpoint_key_is_set
from birge.web.tests.test_deploy_check import _check, _production_env


@pytest.fixture
def production(settings):
    settings.BIRGE_DEMO = False
    return settings


def _ids(messages) -> list[str]:
    return [message.id for message in messages if message.is_serious()]


def test_a_long_key_passes(production):
    production.BIRGE_AUDIT_CHECKPOINT_KEY = "k" * 32
    assert checkpoint_key_is_set() == []


def test_no_key_is_an_error(production):
    production.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    assert _ids(checkpoint_key_is_set()) == ["audit.E001"]


def test_a_key_shorter_than_32_characters_is_an_error(production):
    production.BIRGE_AUDIT_CHECKPOINT_KEY = "k" * 31
    assert _ids(checkpoint_key_is_set()) == ["audit.E002"]


def test_the_demo_needs_no_key(settings):
    settings.BIRGE_DEMO = True
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    assert checkpoint_key_is_set() == []


def test_the_deployment_check_fails_with_a_short_key(tmp_path):
    env = _production_env(tmp_path, BIRGE_AUDIT_CHECKPOINT_KEY="x")
    result = _check(env)
    assert result.returncode != 0
    assert "ERROR" in result.stderr
    assert "audit.E002" in result.stderr


def test_the_deployment_check_fails_without_a_key(tmp_path):
    env = _production_env(tmp_path)
    del env["BIRGE_AUDIT_CHECKPOINT_KEY"]
    result = _check(env)
    assert result.returncode != 0
    assert "ERROR" in result.stderr
    assert "audit.E001" in result.stderr
