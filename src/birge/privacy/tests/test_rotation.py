"""`birge keys rotate` re-encrypts column-bound (v1) tokens and tokens under old keys as
row-bound ones under the current key: in batches, resumable, never overwriting an edit
made meanwhile; `birge keys status` counts what is left."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from birge.privacy.keys import DecryptionError, Keyring
from birge.privacy.rotation import (
    EMPTY,
    UNREADABLE,
    key_usage,
    plaintext_encrypt,
    rotate_model,
)
from birge.privacy.tests.conftest import K1, K2, column_bound_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(tables):
    return tables


def _fields(model):
    return [model._meta.get_field(name) for name in ("title", "text", "born")]


def _set_raw(model, pk: int, **columns) -> None:
    assignments = ", ".join(f'"{name}" = %s' for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" SET {assignments} WHERE id = %s',  # noqa: S608
            [*columns.values(), pk],
        )


def _raw(model, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _old_notes(rows, count: int) -> list[int]:
    """Rows as an old database holds them: column-bound tokens, the last row empty."""
    ids = []
    for i in range(count):
        note = rows.Note.objects.create(plain=str(i))
        if i < count - 1:
            _set_raw(
                rows.Note,
                note.pk,
                title=column_bound_token(f"title {i}", context="privacy.note.title"),
                text=column_bound_token(f"text {i}", context="privacy.note.text"),
                born=column_bound_token("1990-05-17", context="privacy.note.born"),
            )
        ids.append(note.pk)
    return ids


def test_column_bound_tokens_are_bound_to_their_rows(rows):
    ids = _old_notes(rows, 6)
    with pytest.raises(DecryptionError, match="column-bound"):
        _ = rows.Note.objects.get(pk=ids[0]).text

    report = rotate_model(rows.Note, _fields(rows.Note), batch_size=2)

    assert (report.rows, report.values, report.unreadable) == (5, 15, 0)
    for i, pk in enumerate(ids[:-1]):
        note = rows.Note.objects.get(pk=pk)
        assert (note.title, note.text, str(note.born)) == (f"title {i}", f"text {i}", "1990-05-17")
        assert _raw(rows.Note, "text", pk).startswith("v2.k1.")
    assert rows.Note.objects.get(pk=ids[-1]).text == ""


def test_status_counts_the_column_bound_values_left(rows):
    _old_notes(rows, 4)
    text = rows.Note._meta.get_field("text")
    ring = Keyring.from_setting([K1])

    before = key_usage(rows.Note, text, ring=ring)
    rotate_model(rows.Note, _fields(rows.Note))
    after = key_usage(rows.Note, text, ring=ring)

    assert before == {"v1.k1": 3, EMPTY: 1}
    assert after == {"v2.k1": 3, EMPTY: 1}


def test_an_interrupted_rotation_continues_where_it_stopped(rows):
    ids = _old_notes(rows, 9)
    real = Keyring.reencrypt
    calls = []

    def failing(self, token, **kwargs):
        calls.append(1)
        if len(calls) == 10:
            raise RuntimeError("the server went away")
        return real(self, token, **kwargs)

    with mock.patch.object(Keyring, "reencrypt", failing), pytest.raises(RuntimeError):
        rotate_model(rows.Note, _fields(rows.Note), batch_size=2)
    usage = key_usage(rows.Note, rows.Note._meta.get_field("text"), ring=Keyring.from_setting([K1]))
    assert usage == {"v2.k1": 2, "v1.k1": 6, EMPTY: 1}  # the first batch committed

    report = rotate_model(rows.Note, _fields(rows.Note), batch_size=2)

    assert (report.rows, report.changed_meanwhile) == (6, 0)
    assert [rows.Note.objects.get(pk=pk).text for pk in ids] == [
        *(f"text {i}" for i in range(8)),
        "",
    ]


def test_an_edit_made_during_rotation_is_not_overwritten(rows):
    (pk,) = _old_notes(rows, 2)[:1]
    real = Keyring.reencrypt

    def edited_meanwhile(self, token, **kwargs):
        note = rows.Note.objects.get(pk=pk)
        if note.__dict__["text"].token.startswith("v1."):
            note.text = "edited meanwhile"  # a user saves the row between read and write
            note.title = "new title"
            note.save()
        return real(self, token, **kwargs)

    with mock.patch.object(Keyring, "reencrypt", edited_meanwhile):
        report = rotate_model(rows.Note, _fields(rows.Note))

    assert report.changed_meanwhile == 1
    note = rows.Note.objects.get(pk=pk)
    assert (note.title, note.text) == ("new title", "edited meanwhile")


def test_a_new_key_takes_over_and_the_old_one_can_go(rows, settings):
    notes = [rows.Note.objects.create(title=f"t{i}", text=f"text {i}") for i in range(3)]
    settings.BIRGE_ENCRYPTION_KEYS = [K2, K1]

    report = rotate_model(rows.Note, _fields(rows.Note))
    settings.BIRGE_ENCRYPTION_KEYS = [K2]

    assert report.values == 6
    assert [rows.Note.objects.get(pk=n.pk).text for n in notes] == ["text 0", "text 1", "text 2"]
    assert rotate_model(rows.Note, _fields(rows.Note)).rows == 0  # nothing left to do


def test_a_value_that_does_not_decrypt_is_reported_without_its_content(rows):
    note = rows.Note.objects.create(text="fine")
    other = rows.Note.objects.create(text="fine too")
    _set_raw(rows.Note, note.pk, title="Aysel in plain text")
    _set_raw(rows.Note, other.pk, text=_raw(rows.Note, "text", note.pk))  # copied from a row

    report = rotate_model(rows.Note, _fields(rows.Note))
    usage = key_usage(
        rows.Note, rows.Note._meta.get_field("title"), ring=Keyring.from_setting([K1])
    )

    assert report.unreadable == 1
    assert report.unreadable_examples == [(note.pk, "title")]
    assert usage[UNREADABLE] == 1
    # The copy is a current token in form: rotation leaves it, reading refuses it.
    with pytest.raises(DecryptionError):
        _ = rows.Note.objects.get(pk=other.pk).text


def test_the_status_command_says_how_many_column_bound_values_are_left():
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "Column-bound (v1) values left: 0." in out.getvalue()


def test_plaintext_left_by_a_field_that_became_encrypted_is_encrypted_for_its_row(rows):
    kept = rows.Note.objects.create(text="already a token")
    token = _raw(rows.Note, "text", kept.pk)
    plain = [rows.Note.objects.create(plain=str(i)) for i in range(5)]
    for i, note in enumerate(plain):
        _set_raw(rows.Note, note.pk, text=f"written before {i}", born="1990-05-17")

    report = plaintext_encrypt(rows.Note, ["text", "born"], batch_size=2)

    assert (report.rows, report.values) == (5, 10)
    assert _raw(rows.Note, "text", kept.pk) == token
    for i, note in enumerate(plain):
        fresh = rows.Note.objects.get(pk=note.pk)
        assert (fresh.text, str(fresh.born)) == (f"written before {i}", "1990-05-17")
        assert _raw(rows.Note, "text", note.pk).startswith("v2.k1.")
    assert plaintext_encrypt(rows.Note, ["text", "born"]).rows == 0
