"""The audit trail cannot be silently cut: checkpoints are kept in the database and in a
file outside it, `birge audit checkpoint` refuses a head that does not extend the last
one, and `birge audit verify` (without options) holds the log to the newest checkpoint."""

import json
import logging
import socket
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from birge.audit import checkpoints as checkpoints_module
from birge.audit.models import AuditCheckpoint, AuditSeal
from birge.audit.sealing import seal_pending
from birge.audit.services import event_record
from birge.audit.tests import tampering
from birge.jobs.registry import JOBS, SCHEDULE

KEY = "a checkpoint key kept in a vault, not in the database"


@pytest.fixture
def key(settings):
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = KEY
    return KEY


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "other-volume" / "checkpoints.jsonl"
    path.parent.mkdir()
    settings.BIRGE_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def _run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _run(*args)
    return str(caught.value)


def _more_events(officer, count: int = 3) -> None:
    for number in range(count):
        event_record(action="test.viewed", actor=officer, object_type="case", object_id=number)
    seal_pending()


def _cut_last_seal() -> None:
    """The newest seal and the events it covers, deleted as if they had never been."""
    last_seal = AuditSeal.objects.order_by("-id").first()
    for event in range(last_seal.first_id, last_seal.last_id + 1):
        tampering.delete(event)
    tampering.delete_seal(last_seal.pk)


def _empty(table: str) -> None:
    """Empty an audit table as an administrator who dropped its triggers would: TRUNCATE on
    PostgreSQL, DELETE on SQLite (with the `no_triggers` fixture)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            guard = {
                "audit_auditevent": "audit_event_no_truncate",
                "audit_auditseal": "audit_seal_no_truncate",
                "audit_auditcheckpoint": "audit_checkpoint_no_truncate",
            }[table]
            cursor.execute(f"DROP TRIGGER {guard} ON {table}")
            # The foreign keys' deferred checks of this test's inserts, first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


# --- Where checkpoints are kept --------------------------------------------------------


def test_a_checkpoint_without_options_is_kept_in_the_database_and_the_file(
    chain, key, checkpoint_file
):
    printed = json.loads(_run("checkpoint"))

    row = AuditCheckpoint.objects.get()
    head = AuditSeal.objects.get()
    assert (row.seal_id, row.event_id, row.chain_hash, row.events) == (
        head.pk,
        chain[-1].pk,
        head.chain_hash,
        len(chain),
    )
    assert row.signature == printed["signature"]
    assert [json.loads(line) for line in checkpoint_file.read_text().splitlines()] == [printed]


def test_append_to_still_works_besides_the_configured_file(chain, key, checkpoint_file, tmp_path):
    extra = tmp_path / "extra.jsonl"
    _run("checkpoint", "--append-to", str(extra))
    _run("checkpoint", "--append-to", str(checkpoint_file))

    assert len(extra.read_text().splitlines()) == 1
    # Named twice, written once.
    assert len(checkpoint_file.read_text().splitlines()) == 2
    assert AuditCheckpoint.objects.count() == 2


def test_an_unwritable_file_makes_no_checkpoint_at_all(chain, key, settings, tmp_path):
    settings.BIRGE_AUDIT_CHECKPOINT_FILE = str(tmp_path / "no-such-volume" / "checkpoints.jsonl")
    assert "cannot be written" in _fails("checkpoint")
    assert not AuditCheckpoint.objects.exists()


def test_a_checkpoint_goes_to_syslog_when_asked(chain, key, settings, tmp_path, monkeypatch):
    address = str(tmp_path / "log")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(5)
    monkeypatch.setattr(checkpoints_module, "SYSLOG_ADDRESS", address)
    settings.BIRGE_AUDIT_CHECKPOINT_SYSLOG = True
    try:
        printed = _run("checkpoint").strip()
        received = listener.recv(4096).decode()
    finally:
        listener.close()
    assert "birge-audit-checkpoint: " in received
    assert received.endswith(printed + "\x00")


def test_without_syslog_the_checkpoint_is_made_and_says_so(chain, key, settings, monkeypatch):
    monkeypatch.setattr(checkpoints_module, "SYSLOG_ADDRESS", "/nonexistent/log")
    settings.BIRGE_AUDIT_CHECKPOINT_SYSLOG = True
    err = StringIO()
    call_command("audit", "checkpoint", stdout=StringIO(), stderr=err)
    assert AuditCheckpoint.objects.count() == 1
    assert "/nonexistent/log does not exist; the checkpoint was not sent to syslog" in (
        err.getvalue()
    )


# --- The checkpoint refuses a head that does not extend the last one --------------------


def test_a_checkpoint_that_extends_the_last_one_is_made(chain, key, officer):
    _run("checkpoint")
    _more_events(officer)
    _run("checkpoint")
    assert list(AuditCheckpoint.objects.values_list("events", flat=True)) == [6, 9]


def test_a_checkpoint_of_an_emptied_log_is_refused(chain, key, checkpoint_file, no_triggers):
    _run("checkpoint")
    _empty("audit_auditevent")
    _empty("audit_auditseal")

    message = _fails("checkpoint")
    assert "Checkpoint refused: the log has 0 events sealed, fewer than the checkpoint" in message
    assert AuditCheckpoint.objects.count() == 1
    assert len(checkpoint_file.read_text().splitlines()) == 1


def test_a_checkpoint_over_a_truncated_event_table_is_refused(chain, key, no_triggers):
    _run("checkpoint")
    _empty("audit_auditevent")
    assert "the seals count 6 events up to" in _fails("checkpoint")
    assert AuditCheckpoint.objects.count() == 1


def test_a_checkpoint_after_the_head_seal_was_rewritten_is_refused(chain, key, no_triggers):
    _run("checkpoint")
    tampering.overwrite(chain[2].pk, reason="rewritten")
    tampering.rehash_from(chain[2].pk)
    assert "no longer holds: seal #" in _fails("checkpoint")


def test_the_file_still_refuses_when_the_database_checkpoints_were_cut(
    chain, key, checkpoint_file, no_triggers, officer
):
    _more_events(officer)
    _run("checkpoint")
    _cut_last_seal()
    _empty("audit_auditcheckpoint")

    assert "fewer than the checkpoint" in _fails("checkpoint")
    assert not AuditCheckpoint.objects.exists()


# --- Verify knows what to expect --------------------------------------------------------


def test_verify_passes_with_a_fresh_checkpoint(chain, key, checkpoint_file):
    _run("checkpoint")
    output = _run("verify")
    assert "The log holds the checkpoint of" in output
    assert "Audit log intact" in output


def test_verify_fails_on_a_truncated_event_table(chain, key, checkpoint_file, no_triggers):
    _run("checkpoint")
    _empty("audit_auditevent")
    assert "Audit log broken at seal" in _fails("verify")


def test_verify_fails_on_emptied_events_and_seals(chain, key, checkpoint_file, no_triggers):
    _run("checkpoint")
    _empty("audit_auditevent")
    _empty("audit_auditseal")
    message = _fails("verify")
    assert "the audit event table is empty, but the database holds checkpoints of up to 6" in (
        message
    )


def test_the_file_wins_when_every_audit_table_was_emptied(chain, key, checkpoint_file, no_triggers):
    _run("checkpoint")
    for table in ("audit_auditevent", "audit_auditseal", "audit_auditcheckpoint"):
        _empty(table)
    message = _fails("verify")
    assert "the log holds 0 events, fewer than the checkpoint of" in message
    assert f"({checkpoint_file}, line 1: 6 events" in message


def test_verify_without_a_key_still_fails_on_an_emptied_table(chain, key, settings, no_triggers):
    _run("checkpoint")
    _empty("audit_auditevent")
    _empty("audit_auditseal")
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    assert "the table was emptied" in _fails("verify")


def test_verify_fails_on_a_cut_of_sealed_events_covered_by_a_checkpoint(
    chain, key, checkpoint_file, no_triggers, officer
):
    _more_events(officer)
    _run("checkpoint")
    _cut_last_seal()

    message = _fails("verify")
    assert "the log holds 6 events, fewer than the checkpoint of" in message

    # Even with the database's checkpoints cut too: the file remembers.
    _empty("audit_auditcheckpoint")
    message = _fails("verify")
    assert "fewer than the checkpoint of" in message
    assert str(checkpoint_file) in message


def test_events_sealed_after_the_newest_checkpoint_are_the_window(chain, key, no_triggers, officer):
    # Documented limit (docs/audit-log.md): what was sealed after the newest checkpoint
    # can be cut with its seals unnoticed until the next checkpoint interval.
    _run("checkpoint")
    _more_events(officer)
    _cut_last_seal()
    assert "Audit log intact: 6 events" in _run("verify")


def test_verify_fails_when_the_checkpoint_file_is_gone(chain, key, checkpoint_file):
    _run("checkpoint")
    checkpoint_file.unlink()
    assert "(BIRGE_AUDIT_CHECKPOINT_FILE) does not exist" in _fails("verify")
    # Nor does the next checkpoint start it afresh, hiding the loss.
    assert "Checkpoint refused: the checkpoint file" in _fails("checkpoint")
    assert not checkpoint_file.exists()
    # Started again on purpose: an empty file.
    checkpoint_file.touch()
    _run("checkpoint")
    assert "Audit log intact" in _run("verify")


def test_a_line_with_the_wrong_types_is_not_a_checkpoint(chain, key, checkpoint_file, settings):
    _run("checkpoint")
    line = json.loads(checkpoint_file.read_text())
    with checkpoint_file.open("a") as file:
        file.write(json.dumps({**line, "seal": "1"}) + "\n")
    assert f"{checkpoint_file}, line 2 is not a checkpoint" in _fails("verify")
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    assert f"{checkpoint_file}, line 2 is not a checkpoint" in _fails("verify")


def test_verify_fails_on_a_forged_checkpoint_in_the_database(chain, key):
    _run("checkpoint")
    AuditCheckpoint.objects.create(
        seal_id=None,
        event_id=None,
        chain_hash="0" * 64,
        events=0,
        created_at=timezone.now().replace(microsecond=0),
        signature="f" * 64,
    )
    assert "the checkpoint's signature is not valid" in _fails("verify")


def test_verify_fails_on_a_checkpoint_file_line_that_is_not_one(chain, key, checkpoint_file):
    _run("checkpoint")
    with checkpoint_file.open("a") as file:
        file.write('{"seal": 1}\n')
    assert f"{checkpoint_file}, line 2 is not a checkpoint" in _fails("verify")


# --- Checkpoints must be fresh ----------------------------------------------------------


def test_verify_fails_when_the_newest_checkpoint_is_too_old(chain, key, settings):
    settings.BIRGE_AUDIT_CHECKPOINT_MAX_AGE = 900
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _run("checkpoint")
    with time_machine.travel(start + timedelta(seconds=899), tick=False):
        assert "Audit log intact" in _run("verify")
    with time_machine.travel(start + timedelta(seconds=902), tick=False):
        assert "older than BIRGE_AUDIT_CHECKPOINT_MAX_AGE (900 s)" in _fails("verify")


def test_verify_with_a_key_and_no_checkpoint_fails(chain, key):
    assert "no checkpoint has been made" in _fails("verify")


def test_verify_without_a_key_asks_no_checkpoint(chain):
    assert "Audit log intact" in _run("verify")


def test_the_default_age_is_three_checkpoint_intervals():
    from django.conf import settings

    assert settings.BIRGE_AUDIT_CHECKPOINT_INTERVAL == 300
    assert settings.BIRGE_AUDIT_CHECKPOINT_MAX_AGE == 3 * settings.BIRGE_AUDIT_CHECKPOINT_INTERVAL


# --- The scheduled job ------------------------------------------------------------------


def test_the_checkpoint_job_runs_every_interval():
    assert SCHEDULE["audit_checkpoint"] == timedelta(seconds=300)


def test_the_checkpoint_job_makes_a_checkpoint(chain, key, checkpoint_file):
    assert JOBS["audit_checkpoint"](None) == 1
    assert AuditCheckpoint.objects.count() == 1
    assert len(checkpoint_file.read_text().splitlines()) == 1
    assert "Audit log intact" in _run("verify")


def test_without_a_key_the_checkpoint_job_does_nothing_and_says_so(chain, settings, caplog):
    settings.BIRGE_AUDIT_CHECKPOINT_KEY = ""
    with caplog.at_level(logging.INFO, logger="birge.jobs"):
        assert JOBS["audit_checkpoint"](None) == 0
    assert not AuditCheckpoint.objects.exists()
    assert "BIRGE_AUDIT_CHECKPOINT_KEY is not set, no checkpoint made" in caplog.text


def test_the_checkpoint_job_refuses_a_cut_log(chain, key, no_triggers):
    JOBS["audit_checkpoint"](None)
    _empty("audit_auditevent")
    with pytest.raises(checkpoints_module.CheckpointRefused):
        JOBS["audit_checkpoint"](None)
