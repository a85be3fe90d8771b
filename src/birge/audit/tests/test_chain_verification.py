"""`birge audit verify` finds every kind of tampering and names the first bad event."""

from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from birge.audit.models import GENESIS_HASH, AuditEvent
from birge.audit.services import event_record
from birge.audit.tests import tampering


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _broken_at(event_id: int) -> str:
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert message.startswith(f"Audit chain broken at event #{event_id}:")
    return message


def test_a_good_chain_passes(chain):
    output = _verify()
    assert f"Audit chain intact: {len(chain)} events, head #{chain[-1].pk}" in output
    assert chain[-1].hash in output


def test_an_empty_log_passes(db):
    assert "Audit chain intact: 0 events" in _verify()


def test_the_chain_starts_at_genesis_and_links_each_event_to_the_one_before(chain):
    assert chain[0].prev_hash == GENESIS_HASH
    for before, after in pairwise(chain):
        assert after.prev_hash == before.hash


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
    ],
)
def test_a_change_to_any_field_is_found(chain, no_triggers, change):
    tampering.overwrite(chain[3].pk, **change)
    _broken_at(chain[3].pk)


def test_a_changed_time_is_found(chain, no_triggers):
    tampering.overwrite(chain[1].pk, occurred_at=chain[1].occurred_at - timedelta(seconds=1))
    _broken_at(chain[1].pk)


def test_a_deleted_event_is_found_at_the_one_after_it(chain, no_triggers):
    tampering.delete(chain[2].pk)
    message = _broken_at(chain[3].pk)
    assert "an event was deleted, inserted or moved before it" in message


def test_deleting_the_first_event_is_found(chain, no_triggers):
    tampering.delete(chain[0].pk)
    _broken_at(chain[1].pk)


def test_an_event_inserted_in_the_middle_is_found(chain, no_triggers):
    forged = tampering.insert_after(chain[2].pk)
    # The forger computed a proper hash for her event; the original one after it betrays her.
    assert tampering.reload(forged).compute_hash() == tampering.reload(forged).hash
    message = _broken_at(forged + 1)
    assert "does not follow the event before it" in message


def test_two_swapped_events_are_found(chain, no_triggers):
    tampering.swap(chain[2].pk, chain[3].pk)
    message = _broken_at(chain[2].pk)
    assert "does not follow the event before it" in message


def test_an_edited_event_with_a_recomputed_hash_is_found_at_the_next(chain, no_triggers):
    event = tampering.reload(chain[2].pk)
    event.reason = "quietly added later"
    tampering.overwrite(event.pk, reason=event.reason, hash=event.compute_hash())
    message = _broken_at(chain[3].pk)
    assert "does not follow the event before it" in message
    assert "3 events before it are intact" in message


def test_an_edited_last_event_with_a_recomputed_hash_is_not_found_without_a_checkpoint(
    chain, no_triggers
):
    # The limit of the chain alone, and why checkpoints exist (see test_checkpoints).
    event = tampering.reload(chain[-1].pk)
    event.reason = "quietly added later"
    tampering.overwrite(event.pk, reason=event.reason, hash=event.compute_hash())
    assert "Audit chain intact" in _verify()


def test_a_chain_rewritten_consistently_passes_verification_alone(chain, no_triggers):
    tampering.overwrite(chain[1].pk, reason="rewritten")
    tampering.rehash_from(chain[1].pk)
    assert "Audit chain intact: 6 events" in _verify()


def test_events_added_after_verification_keep_the_chain_good(chain, officer):
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
    _verify()
    assert list(AuditEvent.objects.order_by("id").values_list("id", "hash")) == before
