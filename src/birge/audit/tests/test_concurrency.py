"""Appending takes no lock; the sealer never seals past a transaction still running.

Two connections at once need PostgreSQL (the SQLite test database is a shared-cache
in-memory one, and SQLite serialises writers anyway)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from birge.audit import chain as chain_module
from birge.audit.models import AuditEvent, AuditSeal
from birge.audit.sealing import SEAL_LOCK, seal_pending
from birge.audit.services import event_record
from birge.audit.tests.triggers import triggers_down
from birge.referrals.tests.test_jobs import (  # noqa: F401 - two connections at once
    _audit_triggers_back_after_flush,
    committed_db,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections at once need PostgreSQL"
)


@contextmanager
def open_transaction(work) -> Iterator[list]:
    """Run `work()` in a transaction on another connection and keep that transaction
    open until the block ends; then commit it. Yields what `work` returned (in a list)."""
    started, release = threading.Event(), threading.Event()
    result: list = []
    errors: list = []

    def hold() -> None:
        try:
            with transaction.atomic():
                result.append(work())
                started.set()
                release.wait(30)
        except Exception as error:
            errors.append(error)
            started.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(30)
    try:
        assert errors == []
        yield result
    finally:
        release.set()
        thread.join(30)
    assert errors == []


@pytest.fixture
def log(committed_db) -> int:  # noqa: F811
    """The committed database with whatever events its set-up wrote already sealed;
    returns how many there are."""
    seal_pending()
    return AuditEvent.objects.count()


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _lock_timeout_for_this_transaction() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '200ms'")


def test_two_transactions_append_without_waiting_for_each_other(log):
    with open_transaction(lambda: event_record(action="test.held")) as held:
        # With one lock for all appends, this would wait for the open transaction and
        # fail after 200 ms; it commits at once.
        with transaction.atomic():
            _lock_timeout_for_this_transaction()
            quick = event_record(action="test.quick")
        assert AuditEvent.objects.filter(pk=quick.pk).exists()
        assert not AuditEvent.objects.filter(pk=held[0].pk).exists()
    assert AuditEvent.objects.filter(pk=held[0].pk).exists()


def test_the_sealer_never_seals_past_an_event_still_in_flight(log):
    before = event_record(action="test.before")
    assert seal_pending() == 1

    with open_transaction(lambda: event_record(action="test.in_flight")) as in_flight:
        after = event_record(action="test.after")
        assert in_flight[0].pk < after.pk
        # The committed event after it waits: the id before it may still be committed.
        assert seal_pending(wait=0.05) == 0
        assert AuditSeal.objects.order_by("-id").first().last_id == before.pk
        assert "1 not sealed yet" in _verify()

    assert seal_pending() == 2
    head = AuditSeal.objects.order_by("-id").first()
    assert (head.first_id, head.last_id, head.count) == (before.pk + 1, after.pk, 2)
    assert f"{log + 3} events: {log + 3} sealed in" in _verify()


def test_the_sealer_seals_the_run_of_events_before_an_in_flight_one(log):
    first = event_record(action="test.first")
    second = event_record(action="test.second")
    with open_transaction(lambda: event_record(action="test.in_flight")) as in_flight:
        event_record(action="test.after")
        assert seal_pending(wait=0.05) == 2
        assert AuditSeal.objects.order_by("-id").first().last_id == second.pk
        assert in_flight[0].pk == second.pk + 1
    assert first.pk + 1 == second.pk
    assert seal_pending() == 2


def test_the_gap_a_rolled_back_transaction_leaves_is_sealed_over(log):
    before = event_record(action="test.before")
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(action="test.rolled_back")
        raise RuntimeError
    after = event_record(action="test.after")
    assert after.pk == before.pk + 2

    assert seal_pending() == 2
    assert "0 not sealed yet" in _verify()


def test_a_second_sealer_at_the_same_time_does_nothing(log):
    event_record(action="test.viewed")

    def hold_the_sealers_lock() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])

    with open_transaction(hold_the_sealers_lock):
        assert seal_pending() == 0
    assert seal_pending() == 1


def test_verification_in_two_processes_finds_the_same(log, monkeypatch):
    for number in range(7):
        event_record(action="test.viewed", object_id=number)
    assert seal_pending(size=2) == 7
    event_record(action="test.viewed")
    monkeypatch.setattr(chain_module, "PARALLEL_FROM", 1)

    seals = AuditSeal.objects.count()
    assert f"{log + 8} events: {log + 7} sealed in {seals} seals, 1 not sealed yet" in _verify()


def test_verification_in_two_processes_names_the_first_bad_event(log, monkeypatch):
    for number in range(9):
        event_record(action="test.viewed", object_id=number)
    seal_pending(size=2)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    triggers_down()  # back after the test's flush (committed_db)
    for pk in (ids[-2], ids[-5]):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET object_id = 'x' WHERE id = %s", [pk])
    monkeypatch.setattr(chain_module, "PARALLEL_FROM", 1)

    with pytest.raises(CommandError, match=f"Audit log broken at event #{ids[-5]}:"):
        _verify()
