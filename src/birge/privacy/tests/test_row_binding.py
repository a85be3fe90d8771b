"""Every encrypted value is bound to its table, column and row: a token copied anywhere
else fails to decrypt, loudly; every ordinary way of writing and reading a model keeps
working, at one extra statement per insert at most."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.db.models import Value
from django.db.transaction import atomic

from birge.privacy.fields import Sealed, encrypted_for_row, token_for_row
from birge.privacy.keys import DecryptionError, Keyring
from birge.privacy.rowids import row_ids_allocate

pytestmark = pytest.mark.django_db

NARRATIVE = "He locked her in the cellar for two days."


@pytest.fixture
def rows(tables):
    return tables


def _raw(model, column: str, pk: int) -> str | None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _copy_raw(model, column: str, from_pk: int, *, to_model=None, to_column=None, where="") -> int:
    """Copy a column value with SQL, as someone with database access would."""
    source, target = model._meta.db_table, (to_model or model)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{target}" SET "{to_column or column}" = '  # noqa: S608
            f'(SELECT "{column}" FROM "{source}" WHERE id = %s) {where}',
            [from_pk],
        )
        return cursor.rowcount


# --- The defect: a value copied into other rows ----------------------------------------


def test_a_value_copied_into_1500_other_rows_of_its_column_fails_in_every_one(rows):
    Note = rows.Note
    original = Note.objects.create(text=NARRATIVE, title="Aysel")
    others = Note.objects.bulk_create(
        [Note(id=pk, text=f"note {pk}") for pk in row_ids_allocate(Note, count=1500)]
    )

    copied = _copy_raw(Note, "text", original.pk, where=f"WHERE id <> {original.pk}")

    assert copied == 1500
    failed = 0
    for note in Note.objects.exclude(pk=original.pk).order_by("pk"):
        with pytest.raises(DecryptionError, match=rf"privacy\.note\.text of row {note.pk}:"):
            _ = note.text
        failed += 1
    assert failed == len(others) == 1500
    # Handed out sealed, it fails the same way; the original row still reads.
    for pk, sealed in Note.objects.exclude(pk=original.pk).values_list("pk", "text")[:50]:
        with pytest.raises(DecryptionError):
            sealed.decrypt(pk)
    assert Note.objects.get(pk=original.pk).text == NARRATIVE


def test_a_value_copied_into_another_column_fails(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)

    _copy_raw(rows.Note, "title", note.pk, to_column="text", where=f"WHERE id = {note.pk}")

    note = rows.Note.objects.get(pk=note.pk)
    assert note.title == "Aysel"
    with pytest.raises(DecryptionError, match=r"privacy\.note\.text"):
        _ = note.text


def test_a_value_copied_into_another_table_fails(rows):
    note = rows.Note.objects.create(text=NARRATIVE)
    other = rows.Other.objects.create(text="nothing")

    _copy_raw(rows.Note, "text", note.pk, to_model=rows.Other, where=f"WHERE id = {other.pk}")

    with pytest.raises(DecryptionError, match=r"privacy\.other\.text"):
        _ = rows.Other.objects.get(pk=other.pk).text


def test_a_value_copied_into_a_row_with_the_same_id_in_another_table_fails(rows):
    note = rows.Note.objects.create(text=NARRATIVE)
    rows.Other.objects.create(id=note.pk, text="nothing")

    _copy_raw(rows.Note, "text", note.pk, to_model=rows.Other, where=f"WHERE id = {note.pk}")

    with pytest.raises(DecryptionError):
        _ = rows.Other.objects.get(pk=note.pk).text


def test_a_column_bound_v1_token_is_refused_even_in_its_own_row(rows):
    from birge.privacy.tests.conftest import column_bound_token

    note = rows.Note.objects.create(text="x")
    old = column_bound_token(NARRATIVE, context="privacy.note.text")
    rows.Note.objects.filter(pk=note.pk).update(text=Sealed(old, rows.Note._meta.get_field("text")))

    with pytest.raises(DecryptionError, match="column-bound"):
        _ = rows.Note.objects.get(pk=note.pk).text


# --- Round trips ----------------------------------------------------------------------


def test_save_create_and_bulk_create_store_tokens_that_read_back(rows):
    Note = rows.Note
    born = datetime.date(1990, 5, 17)
    saved = Note(title="Aysel", text=NARRATIVE, born=born)
    saved.save()
    created = Note.objects.create(title="Xədicə", text="Она ушла в приют.\n" * 40)
    bulk = Note.objects.bulk_create([Note(title=f"n{i}", born=born) for i in range(3)])

    for note in [saved, created, *bulk]:
        assert note.pk is not None
        assert _raw(Note, "title", note.pk).startswith("v2.k1.")
    assert "Aysel" not in _raw(Note, "title", saved.pk)
    assert "1990" not in _raw(Note, "born", saved.pk)
    fresh = Note.objects.get(pk=saved.pk)
    assert (fresh.title, fresh.text, fresh.born) == ("Aysel", NARRATIVE, born)
    assert type(fresh.born) is datetime.date
    assert Note.objects.get(pk=created.pk).text == "Она ушла в приют.\n" * 40
    assert [n.title for n in Note.objects.filter(pk__in=[b.pk for b in bulk])] == [
        "n0",
        "n1",
        "n2",
    ]


def test_empty_and_null_are_stored_as_they_are(rows):
    note = rows.Note.objects.create(title="", text="", born=None)

    assert (_raw(rows.Note, "title", note.pk), _raw(rows.Note, "born", note.pk)) == ("", None)
    fresh = rows.Note.objects.get(pk=note.pk)
    assert (fresh.title, fresh.text, fresh.born) == ("", "", None)
    assert rows.Note.objects.filter(title="", born=None).count() == 1


def test_an_edit_saves_and_reads_back(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)
    note = rows.Note.objects.get(pk=note.pk)
    note.text = "She moved to a shelter."
    note.save()

    assert rows.Note.objects.get(pk=note.pk).text == "She moved to a shelter."
    assert rows.Note.objects.get(pk=note.pk).title == "Aysel"


def test_a_value_read_and_not_changed_is_written_back_as_the_same_token(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)
    before = _raw(rows.Note, "text", note.pk)
    note = rows.Note.objects.get(pk=note.pk)

    with mock.patch.object(Keyring, "decrypt") as decrypt:
        note.plain = "x"
        note.save()

    decrypt.assert_not_called()
    assert _raw(rows.Note, "text", note.pk) == before


def test_an_instance_saved_as_a_new_row_is_encrypted_for_the_new_row(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)
    copy = rows.Note.objects.get(pk=note.pk)

    copy.pk = None
    copy._state.adding = True
    copy.save()

    assert copy.pk != note.pk
    assert _raw(rows.Note, "text", copy.pk) != _raw(rows.Note, "text", note.pk)
    assert rows.Note.objects.get(pk=copy.pk).text == NARRATIVE
    assert rows.Note.objects.get(pk=note.pk).text == NARRATIVE


def test_refresh_from_db_and_deferred_fields_read_the_row(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)

    note.title = "changed in memory"
    note.refresh_from_db()
    deferred = rows.Note.objects.defer("text").get(pk=note.pk)
    only = rows.Note.objects.only("plain").get(pk=note.pk)

    assert note.title == "Aysel"
    assert deferred.text == NARRATIVE
    assert (only.title, only.text) == ("Aysel", NARRATIVE)


def test_select_related_and_prefetch_read_each_row_with_its_own_key(rows):
    owner = rows.Owner.objects.create(name="Səadət")
    for i in range(3):
        rows.Note.objects.create(owner=owner, text=f"note {i}")

    notes = list(rows.Note.objects.select_related("owner").filter(owner=owner).order_by("pk"))
    owners = list(rows.Owner.objects.prefetch_related("notes").filter(pk=owner.pk))

    assert [n.owner.name for n in notes] == ["Səadət"] * 3
    assert [n.text for n in notes] == ["note 0", "note 1", "note 2"]
    assert sorted(n.text for n in owners[0].notes.all()) == ["note 0", "note 1", "note 2"]


def test_a_list_decrypts_only_what_it_shows(rows):
    for i in range(5):
        rows.Note.objects.create(title=f"t{i}", text=NARRATIVE, plain=str(i))

    with mock.patch.object(Keyring, "decrypt", autospec=True, side_effect=Keyring.decrypt) as d:
        shown = [(n.plain, n.title) for n in rows.Note.objects.order_by("pk")]

    assert [title for _, title in shown] == ["t0", "t1", "t2", "t3", "t4"]
    assert d.call_count == 5  # the titles; not the texts


# --- What it costs --------------------------------------------------------------------


def test_an_insert_costs_one_statement_more_and_a_read_none(rows, django_assert_num_queries):
    rows.Note.objects.create(text="the table's first row")  # SQLite: starts its sequence
    with django_assert_num_queries(2):  # the id, then the INSERT; no UPDATE first
        note = rows.Note.objects.create(title="Aysel", text=NARRATIVE)
    with django_assert_num_queries(1):  # no encrypted value: the database gives the id
        rows.Note.objects.create(plain="x")
    with django_assert_num_queries(1):
        note.text = "changed"
        note.save()
    with django_assert_num_queries(1):
        assert [n.text for n in rows.Note.objects.filter(pk=note.pk)] == ["changed"]


def test_allocated_ids_are_never_handed_out_again(rows):
    first = row_ids_allocate(rows.Other, count=3)
    plain = rows.Other.objects.create()  # the database picks the id
    second = row_ids_allocate(rows.Other, count=2)

    assert first == sorted(first) and len(set(first)) == 3
    assert plain.pk > max(first)
    assert min(second) > plain.pk
    assert row_ids_allocate(rows.Other, count=0) == []


# --- Writes that do not know their row --------------------------------------------------


def test_update_with_plaintext_is_refused(rows):
    note = rows.Note.objects.create(text=NARRATIVE)

    with pytest.raises(FieldError, match=r"privacy\.note\.text is encrypted for its row"), atomic():
        rows.Note.objects.filter(pk=note.pk).update(text="plain text")
    assert rows.Note.objects.get(pk=note.pk).text == NARRATIVE


def test_update_to_empty_is_allowed(rows):
    note = rows.Note.objects.create(title="Aysel", text=NARRATIVE, born=datetime.date(1990, 1, 1))

    rows.Note.objects.filter(pk=note.pk).update(text="", title="", born=None)

    assert rows.Note.objects.filter(pk=note.pk, text="", title="", born=None).exists()


def test_update_with_values_encrypted_for_the_row_is_allowed(rows):
    note = rows.Note.objects.create(text=NARRATIVE)

    values = encrypted_for_row(rows.Note, pk=note.pk, text="She is safe.", plain="p")
    rows.Note.objects.filter(pk=note.pk).update(**values)

    fresh = rows.Note.objects.get(pk=note.pk)
    assert (fresh.text, fresh.plain) == ("She is safe.", "p")


def test_update_with_values_encrypted_for_another_row_fails_when_read(rows):
    note, other = rows.Note.objects.create(text="a"), rows.Note.objects.create(text="b")

    rows.Note.objects.filter(pk=note.pk).update(
        **encrypted_for_row(rows.Note, pk=other.pk, text="meant for the other row")
    )

    with pytest.raises(DecryptionError):
        _ = rows.Note.objects.get(pk=note.pk).text


def test_update_with_a_token_of_another_column_or_table_is_refused(rows):
    note = rows.Note.objects.create(text="a")
    title = encrypted_for_row(rows.Note, pk=note.pk, title="Aysel")["title"]
    other = encrypted_for_row(rows.Other, pk=note.pk, text="Aysel")["text"]

    for token in (title, other):
        with pytest.raises(FieldError, match=r"cannot be written to privacy\.note\.text"), atomic():
            rows.Note.objects.filter(pk=note.pk).update(text=token)


def test_bulk_update_of_an_encrypted_field_is_refused_and_of_others_allowed(rows):
    notes = [rows.Note.objects.create(text=f"n{i}") for i in range(3)]
    for note in notes:
        note.text = "changed"
        note.plain = "p"

    with pytest.raises(FieldError, match="encrypted for its row"), atomic():
        rows.Note.objects.bulk_update(notes, ["text"])
    rows.Note.objects.bulk_update(notes, ["plain"])

    assert [(n.text, n.plain) for n in rows.Note.objects.order_by("pk")] == [
        ("n0", "p"),
        ("n1", "p"),
        ("n2", "p"),
    ]


def test_bulk_update_with_values_encrypted_for_each_row_is_allowed(rows):
    notes = [rows.Note.objects.create(text=f"n{i}") for i in range(2)]
    field = rows.Note._meta.get_field("text")
    for note in notes:
        sealed = encrypted_for_row(rows.Note, pk=note.pk, text=f"new {note.pk}")["text"]
        note.text = Value(sealed, output_field=field)

    rows.Note.objects.bulk_update(notes, ["text"])

    assert [n.text for n in rows.Note.objects.order_by("pk")] == [f"new {n.pk}" for n in notes]


# --- values() and values_list() ---------------------------------------------------------


def test_values_hand_out_sealed_values_that_open_only_for_their_row(rows):
    note = rows.Note.objects.create(text=NARRATIVE, born=datetime.date(1990, 5, 17))
    other = rows.Note.objects.create(text="other")

    (pk, text, born), *_ = rows.Note.objects.filter(pk=note.pk).values_list("pk", "text", "born")
    row = rows.Note.objects.filter(pk=note.pk).values("text").get()

    assert isinstance(text, Sealed)
    assert NARRATIVE not in repr(text)
    with pytest.raises(TypeError, match=r"is encrypted; call \.decrypt"):
        str(text)
    with pytest.raises(TypeError):
        f"{row['text']}"
    assert text.decrypt(pk) == NARRATIVE
    assert born.decrypt(pk) == datetime.date(1990, 5, 17)
    assert row["text"].decrypt(note.pk) == NARRATIVE
    with pytest.raises(DecryptionError):
        text.decrypt(other.pk)
    with pytest.raises(DecryptionError, match="without its row"):
        text.decrypt()


def test_a_sealed_value_from_values_cannot_be_written_elsewhere(rows):
    note = rows.Note.objects.create(text=NARRATIVE)
    sealed = rows.Note.objects.filter(pk=note.pk).values_list("text", flat=True).get()

    with pytest.raises(FieldError, match="read without its row"), atomic():
        rows.Note.objects.create(text=sealed.__class__(sealed.token, sealed.field))


def test_values_of_empty_columns_are_plain(rows):
    note = rows.Note.objects.create(plain="x")

    assert rows.Note.objects.filter(pk=note.pk).values_list("text", "born").get() == ("", None)


# --- The bulk loader's function -----------------------------------------------------------


def test_token_for_row_writes_what_the_model_reads(rows):
    pk = row_ids_allocate(rows.Note, count=1)[0]
    text = token_for_row(rows.Note._meta.get_field("text"), NARRATIVE, pk=pk)
    born = token_for_row(rows.Note._meta.get_field("born"), datetime.date(1990, 5, 17), pk=pk)
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "privacy_note" (id, title, text, born, plain) VALUES (%s, %s, %s, %s, %s)',
            [pk, "", text, born, ""],
        )

    note = rows.Note.objects.get(pk=pk)
    assert (note.text, note.born) == (NARRATIVE, datetime.date(1990, 5, 17))
    assert token_for_row(rows.Note._meta.get_field("born"), None, pk=pk) is None
    assert token_for_row(rows.Note._meta.get_field("text"), "", pk=pk) == ""
    with pytest.raises(TypeError):
        token_for_row(rows.Note._meta.get_field("plain"), "x", pk=pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_rows_copied_in_with_tokens_for_their_ids_read_back(rows):
    ids = row_ids_allocate(rows.Note, count=100)
    field = rows.Note._meta.get_field("text")
    lines = "".join(f"{pk}\t\t{token_for_row(field, f'note {pk}', pk=pk)}\t\\N\t\n" for pk in ids)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy('COPY "privacy_note" (id, title, text, born, plain) FROM STDIN') as copy,
    ):
        copy.write(lines.encode())

    assert [n.text for n in rows.Note.objects.filter(pk__in=ids).order_by("pk")] == [
        f"note {pk}" for pk in ids
    ]
    assert rows.Note.objects.create(text="after").pk > max(ids)
