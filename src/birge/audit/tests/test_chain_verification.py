"""`birge audit verify` finds every kind of tampering and names where it starts."""

import hashlib
import importlib
import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection
from django.utils import timezone

from birge.audit.chain import _iso
from birge.audit.hashing import GENESIS_HASH, batch_digest, seal_chain_hash
from birge.audit.models import AuditEvent, AuditSeal
from birge.audit.sealing import seal_pending
from birge.audit.services import event_record
from birge.audit.tests import tampering


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _fails() -> str:
    with pytest.raises(CommandError) as caught:
        _verify()
    return str(caught.value)


def _broken_at(event_id: int) -> str:
    message = _fails()
    assert message.startswith(f"Audit log broken at event #{event_id}:")
    return message


def _seal_broken(seal: AuditSeal) -> str:
    message = _fails()
    assert message.startswith(f"Audit log broken at seal #{seal.pk}")
    return message


def _only_seal() -> AuditSeal:
    return AuditSeal.objects.get()


def test_a_good_log_passes(chain):
    output = _verify()
    seal = _only_seal()
    assert "Audit log intact: 6 events: 6 sealed in 1 seals, 0 not sealed yet." in output
    assert f"Head seal #{seal.pk}, events up to #{chain[-1].pk}, {seal.chain_hash}." in output


def test_an_empty_log_passes(db):
    assert "Audit log intact: 0 events: 0 sealed in 0 seals" in _verify()


def test_each_event_hashes_its_own_content_only(chain):
    for event in chain:
        canonical = json.dumps(event.content(), sort_keys=True, separators=(",", ":"))
        assert event.hash == hashlib.sha256(canonical.encode()).hexdigest()
        assert event.prev_hash == ""


@pytest.mark.parametrize(
    "content",
    [
        {"actor_label": "Ayşə Əliyeva", "data": {"ключ": ["значение", 1, None]}},
        {"actor_label": 'quote " back \\ slash\n', "ip": "2001:db8::1", "reason": "old"},
        {"data": {"b": {"z": 1, "a": [2, {"y": "x"}]}, "a": ""}, "request_id": "r" * 32},
        {"prev_hash": "ab" * 32, "object_id": "\u2028\x00"},
    ],
)
def test_the_fast_hash_is_the_hash_of_the_canonical_json(officer, content):
    event = AuditEvent(
        occurred_at=timezone.now(), actor_id=officer.pk, action="test.viewed", **content
    )
    canonical = json.dumps(event.content(), sort_keys=True, separators=(",", ":"))
    assert event.compute_hash() == hashlib.sha256(canonical.encode()).hexdigest()


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01 22:30:00",
        "2026-03-01 22:30:00.5",
        "2026-03-01 22:30:00.123456",
        "0001-01-01 00:00:00.000001",
    ],
)
def test_postgresql_times_are_read_as_the_hash_writes_them(text):
    expected = datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat(timespec="microseconds")
    assert _iso(text) == expected


def test_events_with_any_characters_verify(officer):
    # What the database escapes when it sends rows (tab, newline, backslash, \\N) and
    # what JSON escapes (quotes, controls, everything beyond ASCII).
    awkward = [
        "tab\there",
        "new\nline\r\x0b\x08\x0c",
        "back\\slash",
        "\\N",
        'say "hi"',
        "Ayşə Əliyeva ключ \x7f",
    ]
    for text in awkward:
        event_record(action="test.viewed", actor_label=text, object_id=text, data={text: [text]})
    event_record(action="test.viewed", actor_label="\\N", object_id="\\N\t\\N")
    assert seal_pending() == len(awkward) + 1
    assert f"{len(awkward) + 1} events: {len(awkward) + 1} sealed" in _verify()


def test_the_seals_cover_the_events_in_a_chain_from_genesis(chain, officer):
    event_record(action="test.viewed", actor=officer)
    seal_pending()
    first, second = AuditSeal.objects.order_by("id")
    assert (first.first_id, first.last_id, first.count) == (1, chain[-1].pk, 6)
    assert (second.first_id, second.count) == (chain[-1].pk + 1, 1)
    pairs = [(e.pk, e.hash) for e in chain]
    assert first.digest == batch_digest(pairs)
    assert first.chain_hash == seal_chain_hash(
        GENESIS_HASH, 1, chain[-1].pk, 6, batch_digest(pairs)
    )
    assert second.chain_hash == seal_chain_hash(
        first.chain_hash, second.first_id, second.last_id, 1, second.digest
    )


def test_a_changed_event_is_named(chain, no_triggers):
    tampering.overwrite(chain[2].pk, reason="edited afterwards")
    message = _broken_at(chain[2].pk)
    assert "its content does not match its hash" in message
    assert "2 events before it are intact" in message


@pytest.mark.parametrize(
    "change",
    [
        {"action": "test.other"},
        {"actor_label": "somebody else"},
        {"object_id": "99"},
        {"ip": "10.0.0.9"},
        {"request_id": "f" * 32},
        {"data": {"extra": 1}},
        {"actor_id": None},
        {"prev_hash": "1" * 64},
    ],
)
def test_a_change_to_any_field_is_found(chain, no_triggers, change):
    tampering.overwrite(chain[3].pk, **change)
    _broken_at(chain[3].pk)


def test_a_changed_time_is_found(chain, no_triggers):
    tampering.overwrite(chain[1].pk, occurred_at=chain[1].occurred_at - timedelta(seconds=1))
    _broken_at(chain[1].pk)


def test_a_deleted_event_is_found_at_its_seal(chain, no_triggers):
    tampering.delete(chain[2].pk)
    message = _seal_broken(_only_seal())
    assert "it sealed 6 events but 5 are there: an event was deleted" in message


def test_deleting_the_first_event_is_found(chain, no_triggers):
    tampering.delete(chain[0].pk)
    _seal_broken(_only_seal())


def test_an_event_inserted_in_the_middle_is_found(chain, no_triggers):
    forged = tampering.insert_after(chain[2].pk)
    # The forger computed a proper hash for her event; the seal betrays her.
    assert tampering.reload(forged).compute_hash() == tampering.reload(forged).hash
    assert "its events are not the ones it sealed" in _seal_broken(_only_seal())


def test_two_swapped_events_are_found(chain, no_triggers):
    tampering.swap(chain[2].pk, chain[3].pk)
    assert "its events are not the ones it sealed" in _seal_broken(_only_seal())


def test_an_edited_event_with_a_recomputed_hash_is_found_at_its_seal(chain, no_triggers):
    event = tampering.reload(chain[-1].pk)
    event.reason = "quietly added later"
    tampering.overwrite(event.pk, reason=event.reason, hash=event.compute_hash())
    message = _seal_broken(_only_seal())
    assert "an event was rewritten with a new hash" in message
    assert "0 events before it are intact" in message


def test_a_rewritten_seal_is_found(chain, no_triggers):
    seal = _only_seal()
    tampering.overwrite_seal(seal.pk, digest="0" * 64)
    assert "its chain hash does not follow" in _seal_broken(seal)


def test_a_seal_with_a_moved_range_is_found(chain, officer, no_triggers):
    event_record(action="test.viewed", actor=officer)
    seal_pending()
    second = AuditSeal.objects.order_by("id").last()
    tampering.overwrite_seal(second.pk, first_id=second.first_id + 1, last_id=second.last_id + 1)
    assert "a seal was deleted, inserted or changed" in _seal_broken(second)


def test_a_deleted_seal_is_found(chain, officer, no_triggers):
    event_record(action="test.viewed", actor=officer)
    seal_pending()
    first, second = AuditSeal.objects.order_by("id")
    tampering.delete_seal(first.pk)
    assert "a seal was deleted, inserted or changed" in _seal_broken(second)


def test_a_log_rewritten_consistently_passes_verification_alone(chain, no_triggers):
    # The limit of the seals alone, and why checkpoints exist (see test_checkpoints).
    tampering.overwrite(chain[1].pk, reason="rewritten")
    tampering.rehash_from(chain[1].pk)
    assert "Audit log intact: 6 events" in _verify()


def test_unsealed_events_are_checked_and_counted(chain, officer):
    event = event_record(action="test.viewed", actor=officer)
    output = _verify()
    assert f"7 events: 6 sealed in 1 seals, 1 not sealed yet, the oldest (#{event.pk})" in output


def test_a_changed_unsealed_event_is_named(chain, officer, no_triggers):
    event = event_record(action="test.viewed", actor=officer)
    tampering.overwrite(event.pk, object_id="42")
    assert "6 events before it are intact" in _broken_at(event.pk)


def test_an_unsealed_event_waiting_too_long_fails_verification(
    chain, officer, settings, time_machine
):
    settings.BIRGE_AUDIT_UNSEALED_MAX_AGE = 120
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    event = event_record(action="test.viewed", actor=officer)
    time_machine.move_to(now + timedelta(seconds=119), tick=False)
    assert "1 not sealed yet" in _verify()

    time_machine.move_to(now + timedelta(seconds=121), tick=False)
    message = _fails()
    assert message.startswith("Audit log not sealed in time:")
    assert f"the oldest (#{event.pk}) 121 s old" in message
    assert "BIRGE_AUDIT_UNSEALED_MAX_AGE (120 s)" in message

    call_command("audit", "seal", stdout=StringIO())
    assert "0 not sealed yet" in _verify()


def test_events_of_the_old_single_chain_are_sealed_and_verify(officer, no_triggers):
    # As written before seals: each hash covers the previous event's hash.
    previous = GENESIS_HASH
    for number in range(3):
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_id=officer.pk,
            action="test.viewed",
            object_id=str(number),
            prev_hash=previous,
        )
        event.hash = previous = event.compute_hash()
        tampering.rows.bulk_create([event])
    assert seal_pending() == 3
    assert "3 events: 3 sealed in 1 seals" in _verify()

    tampering.overwrite(event.pk, prev_hash="2" * 64)
    _broken_at(event.pk)


def test_the_upgrade_seals_the_events_already_there(officer, no_triggers):
    migration = importlib.import_module("birge.audit.migrations.0008_seal_existing_events")
    previous = GENESIS_HASH
    for _ in range(4):
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_id=officer.pk,
            action="test.viewed",
            prev_hash=previous,
        )
        event.hash = previous = event.compute_hash()
        tampering.rows.bulk_create([event])

    migration.seal(apps, SimpleNamespace(connection=connection))

    assert "4 events: 4 sealed in 1 seals, 0 not sealed yet" in _verify()


def test_events_added_after_verification_keep_the_log_good(chain, officer):
    _verify()
    event_record(action="test.viewed", actor=officer)
    assert f"{len(chain) + 1} events" in _verify()


def test_the_command_exits_non_zero_from_the_shell(chain, no_triggers, capsys):
    tampering.overwrite(chain[0].pk, reason="x")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["birge", "audit", "verify"]).execute()
    assert exited.value.code != 0
    assert f"event #{chain[0].pk}" in capsys.readouterr().err


def test_verification_changes_nothing(chain):
    before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    seals = list(AuditSeal.objects.values_list("id", "chain_hash"))
    _verify()
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash")) == before
    assert list(AuditSeal.objects.values_list("id", "chain_hash")) == seals
