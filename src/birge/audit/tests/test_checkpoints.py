"""Signed checkpoints of the head seal, kept outside the database, catch even a log
whose hashes and seals were consistently rewritten."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from birge.audit.models import AuditSeal
from birge.audit.services import event_record
from birge.audit.tests import tampering

KEY = "a key kept in a vault, not in the database"


@pytest.fixture
def key(settings):
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = KEY
    return KEY


@pytest.fixture
def checkpoints(tmp_path):
    return tmp_path / "checkpoints.jsonl"


def _run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def _verify_fails(checkpoints) -> str:
    with pytest.raises(CommandError) as caught:
        _run("verify", "--checkpoints", str(checkpoints))
    return str(caught.value)


def _plain_verify_fails() -> str:
    with pytest.raises(CommandError) as caught:
        _run("verify")
    return str(caught.value)


def test_a_checkpoint_is_a_signed_line_naming_the_head_seal(chain, key, checkpoints):
    printed = _run("checkpoint", "--append-to", str(checkpoints))

    lines = checkpoints.read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(printed) == json.loads(lines[0])
    checkpoint = json.loads(lines[0])
    head = AuditSeal.objects.get()
    assert checkpoint["seal"] == head.pk
    assert checkpoint["event_id"] == chain[-1].pk
    assert checkpoint["hash"] == head.chain_hash
    assert checkpoint["events"] == len(chain)
    assert len(checkpoint["signature"]) == 64


def test_a_checkpoint_first_seals_the_events_not_sealed_yet(chain, key, officer):
    event = event_record(action="test.viewed", actor=officer)
    checkpoint = json.loads(_run("checkpoint"))
    assert checkpoint["event_id"] == event.pk
    assert checkpoint["events"] == len(chain) + 1


def test_checkpoints_are_appended_not_overwritten(chain, key, checkpoints, officer):
    _run("checkpoint", "--append-to", str(checkpoints))
    event_record(action="test.viewed", actor=officer)
    _run("checkpoint", "--append-to", str(checkpoints))

    heads = [json.loads(line)["event_id"] for line in checkpoints.read_text().splitlines()]
    assert heads == [chain[-1].pk, chain[-1].pk + 1]


def test_verify_with_checkpoints_passes_on_a_good_chain(chain, key, checkpoints, officer):
    _run("checkpoint", "--append-to", str(checkpoints))
    event_record(action="test.viewed", actor=officer)
    _run("checkpoint", "--append-to", str(checkpoints))

    output = _run("verify", "--checkpoints", str(checkpoints))
    assert "2 checkpoints match the seals." in output
    assert "Audit log intact" in output


def test_a_consistently_rewritten_log_fails_against_its_checkpoint(
    chain, key, checkpoints, no_triggers
):
    _run("checkpoint", "--append-to", str(checkpoints))
    tampering.overwrite(chain[1].pk, reason="rewritten")
    tampering.rehash_from(chain[1].pk)

    # The same checkpoint is kept in the database: verify alone knows what to expect.
    assert "no longer has the hash the checkpoint recorded" in _plain_verify_fails()
    message = _verify_fails(checkpoints)
    assert message.startswith(f"Checkpoint 1 of {checkpoints}:")
    seal = AuditSeal.objects.get()
    assert f"seal #{seal.pk} no longer has the hash the checkpoint recorded" in message


def test_a_rewritten_older_seal_fails_against_a_later_checkpoint(
    chain, key, checkpoints, officer, no_triggers
):
    # A seal's chain hash covers every seal before it: rewriting the first one and
    # everything after it still changes the head the checkpoint signed.
    event_record(action="test.viewed", actor=officer)
    _run("checkpoint", "--append-to", str(checkpoints))
    assert AuditSeal.objects.count() == 2
    tampering.overwrite(chain[0].pk, action="test.other")
    tampering.rehash_from(chain[0].pk)

    assert "no longer has the hash the checkpoint recorded" in _plain_verify_fails()
    assert "no longer has the hash the checkpoint recorded" in _verify_fails(checkpoints)


def test_an_edited_last_event_fails_against_its_checkpoint(chain, key, checkpoints, no_triggers):
    _run("checkpoint", "--append-to", str(checkpoints))
    tampering.overwrite(chain[-1].pk, reason="rewritten")
    tampering.rehash_from(chain[-1].pk)
    assert "no longer has the hash" in _verify_fails(checkpoints)


def test_a_deleted_head_seal_fails_against_its_checkpoint(chain, key, checkpoints, no_triggers):
    _run("checkpoint", "--append-to", str(checkpoints))
    seal = AuditSeal.objects.get()
    tampering.delete_seal(seal.pk)
    # The events are now unsealed, and fresh; the checkpoint in the database names the seal.
    assert f"seal #{seal.pk} named by the checkpoint is missing" in _plain_verify_fails()
    assert f"seal #{seal.pk} named by the checkpoint is missing" in _verify_fails(checkpoints)


def test_a_checkpoint_with_an_edited_signature_fails(chain, key, checkpoints):
    _run("checkpoint", "--append-to", str(checkpoints))
    checkpoint = json.loads(checkpoints.read_text())
    signature = checkpoint["signature"]
    checkpoint["signature"] = ("0" if signature[0] != "0" else "1") + signature[1:]
    checkpoints.write_text(json.dumps(checkpoint) + "\n")

    assert "the checkpoint's signature is not valid" in _verify_fails(checkpoints)


def test_a_checkpoint_moved_to_a_forged_head_fails(chain, key, checkpoints):
    _run("checkpoint", "--append-to", str(checkpoints))
    checkpoint = json.loads(checkpoints.read_text())
    checkpoint["events"] = checkpoint["events"] - 1
    checkpoints.write_text(json.dumps(checkpoint) + "\n")
    assert "signature is not valid" in _verify_fails(checkpoints)


def test_a_checkpoint_signed_with_another_key_fails(chain, settings, checkpoints):
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = "the forger's own key"
    _run("checkpoint", "--append-to", str(checkpoints))
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = KEY
    assert "signature is not valid" in _verify_fails(checkpoints)


def test_a_line_that_is_not_a_checkpoint_fails(chain, key, checkpoints):
    checkpoints.write_text("not json\n")
    assert "Checkpoint 1" in _verify_fails(checkpoints)
    assert "the line is not a checkpoint" in _verify_fails(checkpoints)


def test_the_first_bad_checkpoint_is_named(chain, key, checkpoints, officer):
    _run("checkpoint", "--append-to", str(checkpoints))
    with checkpoints.open("a") as file:
        file.write("[]\n")
    assert f"Checkpoint 2 of {checkpoints}" in _verify_fails(checkpoints)


def test_without_a_key_the_checkpoint_command_says_how_to_set_one(chain, settings, checkpoints):
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(CommandError) as caught:
        _run("checkpoint", "--append-to", str(checkpoints))
    assert "BIRGE_AUDIT_CHECKPOINT_KEY" in str(caught.value)
    assert "BIRGE_AUDIT_CHECKPOINT_KEY_FILE" in str(caught.value)
    assert not checkpoints.exists()


def test_without_a_key_verifying_checkpoints_says_how_to_set_one(chain, key, settings, checkpoints):
    _run("checkpoint", "--append-to", str(checkpoints))
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    assert "Set BIRGE_AUDIT_CHECKPOINT_KEY" in _verify_fails(checkpoints)


def test_a_checkpoint_of_an_empty_log_verifies(db, key, checkpoints):
    _run("checkpoint", "--append-to", str(checkpoints))
    assert "1 checkpoints match the seals." in _run("verify", "--checkpoints", str(checkpoints))
