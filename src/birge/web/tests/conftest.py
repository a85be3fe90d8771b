"""`replica_at`: the alias "replica" for one test, as REPLICA_DATABASE_URL would add it.

The suite runs without REPLICA_DATABASE_URL; a test that needs a replica points the alias
at the test database itself (a second connection: a primary, not in recovery) or at a
port where nothing listens."""

import socket

import pytest
from django.db import connections
from django.db.utils import load_backend

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
