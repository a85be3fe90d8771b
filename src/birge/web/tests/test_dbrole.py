"""`birge dbrole`: the least-privilege PostgreSQL role the application runs as, made and
checked; a warning (never a failure) when Birge runs as a superuser or table owner.

Roles belong to the whole cluster, but CREATE ROLE and GRANT are transactional: each test's
role and grants vanish with the test's transaction. The name carries the test database's,
so that parallel workers do not meet."""

import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from birge.home import health
from birge.web import dbrole

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)


@pytest.fixture
def role(db) -> str:
    return "birge_app_" + connection.settings_dict["NAME"].lower().replace("-", "_")[-40:]


def _check(role: str) -> list[str]:
    try:
        call_command("dbrole", "check", "--role", role)
    except CommandError:
        return dbrole.role_problems(role=role)
    return []


def _refused(role: str, sql: str) -> bool:
    """Whether PostgreSQL refuses `sql` run as `role` (a savepoint keeps the test going)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(sql)
            cursor.execute("RESET ROLE")  # kept by the savepoint's release otherwise
    except DatabaseError as error:
        return "permission denied" in str(error) or "must be owner" in str(error)
    return False


@on_postgresql
def test_the_role_made_is_the_least_privilege_one(role, capsys):
    call_command("dbrole", "create", "--role", role)

    assert "least privilege" in capsys.readouterr().out
    assert _check(role) == []


@on_postgresql
def test_making_it_again_changes_nothing_and_undoes_what_was_added(role):
    call_command("dbrole", "create", "--role", role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, TRUNCATE ON audit_auditevent TO {role}")
    call_command("dbrole", "create", "--role", role)
    assert _check(role) == []


@on_postgresql
def test_it_appends_to_the_audit_log_but_cannot_change_it_nor_the_schema(role, officer):
    call_command("dbrole", "create", "--role", role)
    # It works as the application: reads and writes its tables, takes ids.
    assert not _refused(role, "SELECT count(*) FROM agencies_user")
    assert not _refused(role, "UPDATE agencies_user SET last_login = now()")
    assert not _refused(role, "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id'))")
    # The audit log: read, never changed, emptied or rewired.
    assert not _refused(role, "SELECT count(*) FROM audit_auditevent")
    for sql in (
        "UPDATE audit_auditevent SET action = action",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "DELETE FROM audit_auditseal",
        "DROP TRIGGER audit_event_append_only ON audit_auditevent",
        "CREATE TABLE birge_app_probe (id int)",
        "ALTER TABLE agencies_user ADD COLUMN probe int",
        "TRUNCATE agencies_user CASCADE",
    ):
        assert _refused(role, sql), sql


@on_postgresql
def test_check_lists_what_is_wrong(role):
    call_command("dbrole", "create", "--role", role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT UPDATE, DELETE ON audit_auditseal TO {role}")
        cursor.execute(f"REVOKE INSERT ON cases_case FROM {role}")
        cursor.execute(f"ALTER ROLE {role} CREATEDB")

    with pytest.raises(CommandError, match="4 problems"):
        call_command("dbrole", "check", "--role", role)
    problems = dbrole.role_problems(role=role)
    assert f"{role} has UPDATE on table audit_auditseal" in problems
    assert f"{role} has DELETE on table audit_auditseal" in problems
    assert f"{role} lacks INSERT on table cases_case" in problems
    assert f"{role} may create databases" in problems


@on_postgresql
def test_checkpoint_tables_of_the_audit_log_are_append_only_too(role):
    assert dbrole.append_only("audit_auditcheckpoint")
    assert dbrole.privileges_for("audit_auditcheckpoint") == ("SELECT", "INSERT")
    assert not dbrole.append_only("audit_eventreason")  # erased at retention: updated


@on_postgresql
def test_check_of_a_superuser_and_of_a_missing_role(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        me, superuser = cursor.fetchone()
    if not superuser:
        pytest.skip("the tests connect as a superuser here")
    problems = dbrole.role_problems()
    assert problems[0] == f"{me} is a superuser"
    assert not any("table" in problem for problem in problems)  # nothing more to list
    assert dbrole.role_problems(role="birge_no_such_role") == [
        "role birge_no_such_role does not exist (birge dbrole create --role birge_no_such_role)"
    ]


@on_postgresql
def test_the_owner_cannot_be_made_the_application_role(db):
    with pytest.raises(CommandError, match="owns the tables"):
        call_command("dbrole", "create", "--role", connection.settings_dict["USER"])


def test_a_name_that_is_not_a_role_name_is_refused(db):
    with pytest.raises(CommandError):
        call_command("dbrole", "create", "--role", 'x"; DROP TABLE cases_case; --')


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_on_sqlite_it_says_there_are_no_roles(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("dbrole", "check")


# --- Running as a superuser or owner: a warning, not a failure ---------------------------


@on_postgresql
def test_the_deployment_check_warns_of_a_superuser_or_owner(db):
    warnings = dbrole.check_database_role()
    assert [w.id for w in warnings] in (["web.W001"], ["web.W002"])  # the tests' own role
    assert "dbrole create" in warnings[0].hint


@on_postgresql
def test_the_deployment_check_is_quiet_for_the_least_privilege_role(role):
    call_command("dbrole", "create", "--role", role)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        assert dbrole.check_database_role() == []
        cursor.execute("RESET ROLE")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_the_deployment_check_says_nothing_on_sqlite(db):
    assert dbrole.check_database_role() == []


@on_postgresql
def test_readiness_stays_ready_and_logs_the_warning_once(db, monkeypatch, caplog):
    monkeypatch.setattr(health, "_role_told", False)
    with caplog.at_level(logging.WARNING, logger="birge.health"):
        first = Client().get("/readyz")
        second = Client().get("/readyz")

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["status"] == "ready"
    told = [r.getMessage() for r in caplog.records if "connects to PostgreSQL" in r.getMessage()]
    assert len(told) == 1
    assert "superuser" in told[0] or "owner" in told[0]
