"""Nobody changes or deletes an audit event: not the application, not a raw SQL statement."""

import pytest
from django.db import DatabaseError, connection, transaction

from birge.audit.checkpoints import checkpoint_take
from birge.audit.models import AppendOnlyError, AuditCheckpoint, AuditEvent, AuditSeal
from birge.audit.sealing import seal_pending
from birge.audit.services import event_record


def _unchanged(chain) -> bool:
    now = list(AuditEvent.objects.order_by("id").values_list("id", "reason", "hash"))
    return now == [(e.pk, e.reason, e.hash) for e in chain]


def test_the_orm_refuses_to_update_events(chain):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=chain[0].pk).update(reason="changed")
    assert _unchanged(chain)


def test_the_orm_refuses_to_delete_events(chain):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert _unchanged(chain)


def test_the_orm_refuses_a_delete_without_loading_the_events(chain):
    # What Django's deletion collector does for rows nothing else refers to.
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=chain[0].pk)._raw_delete(using="default")
    assert _unchanged(chain)


def test_an_event_cannot_be_saved_again(chain):
    event = AuditEvent.objects.get(pk=chain[1].pk)
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert _unchanged(chain)


def test_an_event_cannot_be_deleted(chain):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.get(pk=chain[1].pk).delete()
    assert _unchanged(chain)


def test_events_cannot_be_bulk_updated(chain):
    event = AuditEvent.objects.get(pk=chain[1].pk)
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert _unchanged(chain)


def test_the_database_refuses_a_raw_update(chain):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["changed", chain[0].pk]
        )
    assert _unchanged(chain)


def test_the_database_refuses_a_raw_delete(chain):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [chain[0].pk])
    assert _unchanged(chain)


def test_the_database_refuses_to_empty_the_table(chain):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert _unchanged(chain)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_database_refuses_to_truncate_the_table(chain):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert _unchanged(chain)


def test_the_database_still_accepts_new_events(chain, officer):
    event_record(action="test.viewed", actor=officer)
    assert AuditEvent.objects.count() == len(chain) + 1


def test_django_internals_get_the_same_refusal(chain):
    # _base_manager serves related lookups and Django's own machinery.
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=chain[0].pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.all().delete()


# --- Seals are append-only too ---------------------------------------------------------


def _seals_unchanged(seals) -> bool:
    now = list(AuditSeal.objects.order_by("id").values_list("id", "digest", "chain_hash"))
    return now == seals


@pytest.fixture
def seals(chain):
    return list(AuditSeal.objects.order_by("id").values_list("id", "digest", "chain_hash"))


def test_the_orm_refuses_to_change_or_delete_seals(seals):
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.update(digest="0" * 64)
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().delete()
    seal = AuditSeal.objects.get()
    seal.digest = "0" * 64
    with pytest.raises(AppendOnlyError):
        seal.save()
    with pytest.raises(AppendOnlyError):
        seal.delete()
    assert _seals_unchanged(seals)


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditseal SET digest = 'x'", "DELETE FROM audit_auditseal"],
)
def test_the_database_refuses_to_change_or_delete_seals(seals, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert _seals_unchanged(seals)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_database_refuses_to_truncate_the_seals(seals):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditseal")
    assert _seals_unchanged(seals)


def test_the_database_still_accepts_new_seals(seals, officer):
    event_record(action="test.viewed", actor=officer)
    assert seal_pending() == 1
    assert AuditSeal.objects.count() == len(seals) + 1


# --- Checkpoints are append-only too ---------------------------------------------------


def _checkpoints_unchanged(checkpoints) -> bool:
    now = list(AuditCheckpoint.objects.order_by("id").values_list("id", "events", "signature"))
    return now == checkpoints


@pytest.fixture
def checkpoints(chain):
    checkpoint_take(key="a key of at least thirty-two characters, for the test")
    return list(AuditCheckpoint.objects.order_by("id").values_list("id", "events", "signature"))


def test_the_orm_refuses_to_change_or_delete_checkpoints(checkpoints):
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(events=0)
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()
    checkpoint = AuditCheckpoint.objects.get()
    checkpoint.events = 0
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
    assert _checkpoints_unchanged(checkpoints)


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditcheckpoint SET events = 0", "DELETE FROM audit_auditcheckpoint"],
)
def test_the_database_refuses_to_change_or_delete_checkpoints(checkpoints, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert _checkpoints_unchanged(checkpoints)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_database_refuses_to_truncate_the_checkpoints(checkpoints):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditcheckpoint")
    assert _checkpoints_unchanged(checkpoints)
