"""The least-privilege PostgreSQL role Birge runs as (docs/audit-log.md, "The database
refuses changes"): it connects, uses the schema, reads and writes the application's
tables, but may only append to the audit log (events, seals, checkpoints), owns nothing,
creates nothing and is no superuser. The owner runs `birge migrate`; the application
runs as this role (`birge dbrole create`, `birge dbrole check`).

PostgreSQL only: SQLite has no roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, Error, connections, transaction

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_WRITE = ("SELECT", "INSERT", "UPDATE", "DELETE")
APPEND_ONLY = ("SELECT", "INSERT")
READ_ONLY = ("SELECT",)
# Never granted: emptying a table at once, or hanging a trigger on it (DDL by another name).
NEVER = ("TRUNCATE", "TRIGGER")
ATTRIBUTES = {
    "rolsuper": "is a superuser",
    "rolcreatedb": "may create databases",
    "rolcreaterole": "may create roles",
    "rolreplication": "may start replication",
    "rolbypassrls": "bypasses row-level security",
}


class RoleError(Exception):
    """What the command cannot do, said for the operator."""


def append_only(table: str) -> bool:
    """The audit log's tables that the triggers guard: events, seals and checkpoints."""
    return table in ("audit_auditevent", "audit_auditseal") or (
        table.startswith("audit_") and "checkpoint" in table
    )


def privileges_for(table: str) -> tuple[str, ...]:
    if append_only(table):
        return APPEND_ONLY
    if table == "django_migrations":  # read by /readyz; written by the owner's migrate
        return READ_ONLY
    return READ_WRITE


def _postgresql(using: str) -> None:
    if connections[using].vendor != "postgresql":
        raise RoleError(
            f"Database roles are PostgreSQL's; this database is {connections[using].vendor}. "
            "Nothing to do."
        )


def _q(using: str, name: str) -> str:
    return connections[using].ops.quote_name(name)


def _role(role: str) -> str:
    if not ROLE_NAME.match(role):
        raise RoleError(f"{role!r} is not a role name Birge makes (a-z, 0-9, _).")
    return role


# --- Create ---------------------------------------------------------------------------


def role_create(
    *, role: str, password: str | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[str]:
    """Create the role, or bring an existing one back to exactly these privileges; run as
    the owner of the tables, again after every `birge migrate`. Returns what was done."""
    _postgresql(using)
    role = _role(role)
    name = _q(using, role)
    done = []
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        me, database, schema = cursor.fetchone()
        if role == me:
            raise RoleError(
                f"{role} runs this command and owns the tables: give the application another role."
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        if cursor.fetchone():
            cursor.execute(f"ALTER ROLE {name} {attributes}")
            done.append(f"role {role} exists: {attributes}")
        else:
            cursor.execute(f"CREATE ROLE {name} {attributes}")
            done.append(f"role {role} created: {attributes}")
        if password:
            cursor.execute(f"ALTER ROLE {name} PASSWORD %s", [password])
            done.append("password set")
        db, sch = _q(using, database), _q(using, schema)
        cursor.execute(f"GRANT CONNECT ON DATABASE {db} TO {name}")
        cursor.execute(f"REVOKE CREATE ON DATABASE {db} FROM {name}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {sch} TO {name}")
        # Nobody but the owner creates in the schema (PostgreSQL 15's default; older
        # versions let everyone).
        cursor.execute(f"REVOKE CREATE ON SCHEMA {sch} FROM PUBLIC, {name}")
        done.append(f"CONNECT on {database}, USAGE on schema {schema}, no CREATE")
        tables, sequences = _relations(cursor)
        counts: dict[tuple[str, ...], int] = {}
        for table in tables:
            quoted = f"{sch}.{_q(using, table)}"
            granted = privileges_for(table)
            cursor.execute(f"REVOKE ALL ON TABLE {quoted} FROM {name}")
            cursor.execute(f"GRANT {', '.join(granted)} ON TABLE {quoted} TO {name}")
            counts[granted] = counts.get(granted, 0) + 1
        for granted, n in counts.items():
            done.append(f"{', '.join(granted)} on {n} table{'s' if n > 1 else ''}")
        for sequence in sequences:
            quoted = f"{sch}.{_q(using, sequence)}"
            cursor.execute(f"REVOKE ALL ON SEQUENCE {quoted} FROM {name}")
            cursor.execute(f"GRANT USAGE, SELECT ON SEQUENCE {quoted} TO {name}")
        done.append(f"USAGE, SELECT on {len(sequences)} sequences")
    return done


def _relations(cursor) -> tuple[list[str], list[str]]:
    cursor.execute(
        "SELECT c.relname, c.relkind FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S') ORDER BY 1"
    )
    rows = cursor.fetchall()
    return [n for n, kind in rows if kind != "S"], [n for n, kind in rows if kind == "S"]


# --- Check ----------------------------------------------------------------------------


_TABLES_SQL = """
    SELECT c.relname, c.relkind = 'S', pg_has_role(%(role)s, c.relowner, 'USAGE'),
           CASE WHEN c.relkind = 'S' THEN ARRAY[has_sequence_privilege(%(role)s, c.oid, 'USAGE')]
           ELSE ARRAY[
               has_table_privilege(%(role)s, c.oid, 'SELECT'),
               has_table_privilege(%(role)s, c.oid, 'INSERT'),
               has_table_privilege(%(role)s, c.oid, 'UPDATE'),
               has_table_privilege(%(role)s, c.oid, 'DELETE'),
               has_table_privilege(%(role)s, c.oid, 'TRUNCATE'),
               has_table_privilege(%(role)s, c.oid, 'TRIGGER')
           ] END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S')
    ORDER BY 1
"""
_CHECKED = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER")


def role_problems(*, role: str | None = None, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What keeps `role` (default: the role Birge connects as) from being the
    least-privilege application role; empty when it is one."""
    _postgresql(using)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        me, database, schema = cursor.fetchone()
        role = _role(role) if role else me
        cursor.execute(
            f"SELECT {', '.join(ATTRIBUTES)} FROM pg_roles WHERE rolname = %s",  # noqa: S608 -- fixed columns
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            return [f"role {role} does not exist (birge dbrole create --role {role})"]
        problems = [
            f"{role} {said}" for said, has in zip(ATTRIBUTES.values(), found, strict=True) if has
        ]
        if found[0]:
            return problems  # a superuser may do anything: nothing more to list
        params = {"role": role, "database": database, "schema": schema}
        cursor.execute(
            "SELECT pg_has_role(%(role)s, d.datdba, 'USAGE'),"
            " has_database_privilege(%(role)s, d.oid, 'CONNECT'),"
            " has_database_privilege(%(role)s, d.oid, 'CREATE'),"
            " pg_has_role(%(role)s, n.nspowner, 'USAGE'),"
            " has_schema_privilege(%(role)s, n.oid, 'USAGE'),"
            " has_schema_privilege(%(role)s, n.oid, 'CREATE')"
            " FROM pg_database d, pg_namespace n"
            " WHERE d.datname = %(database)s AND n.nspname = %(schema)s",
            params,
        )
        owns_db, connect, create_db, owns_schema, usage, create_schema = cursor.fetchone()
        problems += [
            said
            for wrong, said in (
                (owns_db, f"{role} owns database {database}"),
                (not connect, f"{role} lacks CONNECT on database {database}"),
                (create_db, f"{role} may create schemas in database {database}"),
                (owns_schema, f"{role} owns schema {schema}"),
                (not usage, f"{role} lacks USAGE on schema {schema}"),
                (create_schema, f"{role} may create tables in schema {schema}"),
            )
            if wrong
        ]
        cursor.execute(_TABLES_SQL, params)
        rows = cursor.fetchall()
    owned = [name for name, _sequence, owns, _privileges in rows if owns]
    if owned:
        problems.append(f"{role} owns {len(owned)} tables or sequences ({', '.join(owned[:3])}, …)")
    for name, sequence, _owns, privileges in rows:
        if sequence:
            if not privileges[0]:
                problems.append(f"{role} lacks USAGE on sequence {name}")
            continue
        has = {p for p, granted in zip(_CHECKED, privileges, strict=True) if granted}
        wanted = set(privileges_for(name))
        for missing in sorted(wanted - has):
            problems.append(f"{role} lacks {missing} on table {name}")
        too_much = has - wanted if append_only(name) else has & set(NEVER)
        for extra in sorted(too_much):
            problems.append(f"{role} has {extra} on table {name}")
    return problems


# --- The role Birge runs as -------------------------------------------------------------


@dataclass(frozen=True)
class Running:
    role: str
    superuser: bool
    owned_tables: int


def running_as(using: str = DEFAULT_DB_ALIAS) -> Running | None:
    """Who Birge connects as, on PostgreSQL: superuser? owner of how many of its tables?"""
    if connections[using].vendor != "postgresql":
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, (SELECT count(*) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
            " AND pg_has_role(current_user, c.relowner, 'USAGE'))"
            " FROM pg_roles r WHERE r.rolname = current_user"
        )
        role, superuser, owned = cursor.fetchone()
    return Running(role=role, superuser=superuser, owned_tables=owned)


def running_warnings(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """Why the role Birge runs as is not the least-privilege one, by check id (the
    deployment check and /readyz say it)."""
    running = running_as(using)
    if running is None:
        return {}
    if running.superuser:
        return {"web.W001": f"Birge connects to PostgreSQL as {running.role}, a superuser."}
    if running.owned_tables:
        return {
            "web.W002": f"Birge connects to PostgreSQL as {running.role}, the owner of "
            f"{running.owned_tables} of its tables: it could drop the audit log's triggers."
        }
    return {}


HINT = (
    "Run the application as a least-privilege role: `birge dbrole create --role birge_app` "
    "as the owner, then give the application that role's DATABASE_URL (README, "
    "Production deployment)."
)


def check_database_role(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`birge check --deploy`: a warning when Birge runs as a superuser or table owner."""
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return []
    try:
        found = running_warnings()
    except Error:  # no database to ask: /readyz says so, not this check
        return []
    return [checks.Warning(message, hint=HINT, id=code) for code, message in found.items()]
