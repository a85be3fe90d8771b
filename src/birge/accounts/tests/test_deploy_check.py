"""`birge check --deploy` fails when two-factor authentication is off outside the demo."""

from birge.web.tests.test_deploy_check import _check, _production_env


def test_the_deployment_check_fails_with_two_factor_off(tmp_path):
    result = _check(_production_env(tmp_path, BIRGE_REQUIRE_2FA="0"))
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr


def test_the_deployment_check_accepts_two_factor_on(tmp_path):
    result = _check(_production_env(tmp_path, BIRGE_REQUIRE_2FA="1"))
    assert "accounts.E001" not in result.stdout + result.stderr


def test_the_demo_may_run_without_two_factor(tmp_path):
    result = _check(_production_env(tmp_path, BIRGE_DEMO="1", BIRGE_REQUIRE_2FA="0"))
    assert "accounts.E001" not in result.stdout + result.stderr
