import datetime
import uuid

import pytest
from django import forms
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import Upper
from django.test.utils import isolate_apps

from birge.privacy.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    Sealed,
)
from birge.privacy.keys import DecryptionError, keyring
from birge.privacy.rotation import encrypted_fields
from birge.privacy.rowids import RowIdField


@pytest.fixture
def person():
    """A throwaway model: the fields are bound, no table is needed."""
    with isolate_apps("birge.privacy"):

        class Person(models.Model):  # noqa: DJ008
            name = EncryptedCharField(max_length=20, blank=True)
            notes = EncryptedTextField(null=True, blank=True)
            born = EncryptedDateField(null=True, blank=True)
            plain = models.CharField(max_length=20, blank=True)

            class Meta:
                app_label = "privacy"

        yield Person


def _field(model, name):
    return model._meta.get_field(name)


def _round_trip(field, value, pk=7):
    """What is written for the value in row `pk`, and what reading it there gives."""
    sealed = field.seal(value, pk=pk)
    stored = field.get_db_prep_save(sealed, connection)
    read = field.from_db_value(stored, None, connection)
    return stored, read.decrypt(pk) if isinstance(read, Sealed) else read


def test_the_context_is_the_model_label_and_field_name(person):
    assert _field(person, "name").encryption_context == "privacy.person.name"
    assert _field(person, "born").encryption_context == "privacy.person.born"


def test_text_is_stored_encrypted_for_its_row_and_read_back(person):
    for name, value in [("name", "Aysel Məmmədova"), ("notes", "Она ушла в приют.\n" * 40)]:
        stored, read = _round_trip(_field(person, name), value)
        assert stored.startswith("v2.k1.")
        assert value not in stored
        assert read == value


def test_a_date_is_stored_encrypted_and_read_back_as_a_date(person):
    born = datetime.date(1990, 5, 17)
    stored, read = _round_trip(_field(person, "born"), born)
    assert "1990" not in stored
    assert read == born
    assert type(read) is datetime.date
    assert _round_trip(_field(person, "born"), "1990-05-17")[1] == born


def test_empty_and_null_are_stored_as_they_are(person):
    assert _round_trip(_field(person, "name"), "") == ("", "")
    assert _round_trip(_field(person, "notes"), None) == (None, None)
    assert _round_trip(_field(person, "born"), None) == (None, None)
    assert _round_trip(_field(person, "born"), "") == (None, None)


def test_the_primary_key_is_bound_in_its_canonical_form(person):
    sealed = _field(person, "name").seal("Aysel", pk="007")
    assert sealed.decrypt(7) == "Aysel"
    with pytest.raises(DecryptionError):
        sealed.decrypt(70)


def test_a_value_from_another_column_or_row_does_not_decrypt(person):
    stored = _field(person, "name").seal("Aysel", pk=7)
    with pytest.raises(DecryptionError):
        _field(person, "notes").open(stored, row=7)
    with pytest.raises(DecryptionError):
        _field(person, "name").open(stored, row=8)


def test_plaintext_in_the_column_is_an_error_not_a_value(person):
    read = _field(person, "name").from_db_value("Aysel", None, connection)
    with pytest.raises(DecryptionError):
        read.decrypt(7)


def test_a_value_under_an_old_key_still_reads_after_a_new_key_is_added(person, settings):
    from birge.privacy.tests.conftest import K1, K2

    sealed = _field(person, "name").seal("Aysel", pk=7)
    settings.BIRGE_ENCRYPTION_KEYS = [K2, K1]
    assert sealed.decrypt(7) == "Aysel"
    assert _field(person, "name").seal("Aysel", pk=7).token.startswith("v2.k2.")
    assert keyring().needs_rotation(sealed.token)


@pytest.mark.parametrize(
    "lookup",
    [
        {"name": "Aysel"},
        {"name__iexact": "aysel"},
        {"name__icontains": "ays"},
        {"name__startswith": "A"},
        {"name__in": ["Aysel"]},
        {"name__gt": "A"},
        {"name__lower": "aysel"},
        {"notes__contains": "x"},
        {"born": datetime.date(1990, 5, 17)},
        {"born__year": 1990},
        {"born__range": (datetime.date(1990, 1, 1), datetime.date(1991, 1, 1))},
        {"name": F("plain")},
    ],
)
def test_it_refuses_to_search_an_encrypted_field(person, lookup):
    with pytest.raises(FieldError, match="is encrypted and cannot be searched; use a blind index"):
        person.objects.filter(**lookup)


@pytest.mark.parametrize(
    "lookup",
    [{"name": ""}, {"name__exact": ""}, {"notes": None}, {"notes__isnull": True}, {"born": None}],
)
def test_it_allows_asking_whether_a_value_is_empty(person, lookup):
    person.objects.filter(**lookup)  # builds the query without refusing it


@pytest.mark.parametrize("expression", [F("plain"), Upper("name"), Value("Aysel")])
def test_it_refuses_to_write_a_database_expression(person, expression):
    # queryset.update() hands expressions to get_placeholder; save() to pre_save.
    with pytest.raises(FieldError, match="is encrypted"):
        _field(person, "name").get_placeholder(expression, None, connection)
    with pytest.raises(FieldError, match="is encrypted"):
        _field(person, "name").pre_save(person(name=expression), add=True)


def test_it_allows_the_values_bulk_update_writes(person):
    from django.db.models import Case, When

    field = _field(person, "name")
    case = Case(When(pk=1, then=Value("Aysel", output_field=field)), output_field=field)
    assert field.get_placeholder(case, None, connection) == "%s"
    assert field.get_placeholder(Value(None), None, connection) == "%s"


def test_the_columns_are_text(person):
    for name in ["name", "notes", "born"]:
        assert _field(person, name).db_type(connection) == "text"


def test_forms_and_validation_see_the_plaintext_type_and_length(person):
    assert isinstance(_field(person, "name").formfield(), forms.CharField)
    assert _field(person, "name").formfield().max_length == 20
    assert isinstance(_field(person, "born").formfield(), forms.DateField)
    assert isinstance(_field(person, "notes").formfield().widget, forms.Textarea)
    with pytest.raises(ValidationError):
        person(name="x" * 21).clean_fields(exclude=["notes", "born", "plain"])


def test_deconstruct_gives_back_an_equal_field(person):
    for name in ["name", "notes", "born"]:
        field = _field(person, name)
        _, path, args, kwargs = field.deconstruct()
        assert path.startswith("birge.privacy.fields.")
        assert "context" not in kwargs
        rebuilt = type(field)(*args, **kwargs)
        assert rebuilt.deconstruct()[1:] == (path, args, kwargs)


def test_a_fixed_context_survives_a_rename_and_a_migration():
    with isolate_apps("birge.privacy"):

        class Renamed(models.Model):  # noqa: DJ008
            new_name = EncryptedCharField(max_length=20, context="privacy.person.name")

            class Meta:
                app_label = "privacy"

    field = Renamed._meta.get_field("new_name")
    assert field.encryption_context == "privacy.person.name"
    assert field.deconstruct()[3]["context"] == "privacy.person.name"


def test_an_unbound_field_cannot_encrypt():
    with pytest.raises(ImproperlyConfigured):
        EncryptedTextField().seal("Aysel", pk=1)


def test_plaintext_given_to_the_database_without_its_row_is_refused(person):
    with pytest.raises(FieldError, match="encrypted for its row"):
        _field(person, "name").get_db_prep_save("Aysel", connection)
    with pytest.raises(FieldError, match="no primary key yet"):
        _field(person, "name").seal("Aysel", pk=None)


def test_an_indexed_or_unique_encrypted_field_fails_the_system_check():
    with isolate_apps("birge.privacy"):

        class Indexed(models.Model):  # noqa: DJ008
            name = EncryptedCharField(max_length=20, unique=True)
            notes = EncryptedTextField(db_index=True)
            born = EncryptedDateField(null=True)

            class Meta:
                app_label = "privacy"

    ids = [[e.id for e in Indexed._meta.get_field(n).check()] for n in ["name", "notes", "born"]]
    assert ids == [["privacy.E001"], ["privacy.E001"], []]


def test_a_model_whose_primary_key_comes_after_the_insert_fails_the_system_check():
    with isolate_apps("birge.privacy"):

        class Explicit(models.Model):  # noqa: DJ008
            id = models.BigAutoField(primary_key=True)
            name = EncryptedCharField(max_length=20)

            class Meta:
                app_label = "privacy"

        class Chosen(models.Model):  # noqa: DJ008
            id = models.UUIDField(primary_key=True, default=uuid.uuid4)
            name = EncryptedCharField(max_length=20)

            class Meta:
                app_label = "privacy"

        class Automatic(models.Model):  # noqa: DJ008
            name = EncryptedCharField(max_length=20)

            class Meta:
                app_label = "privacy"

    ids = [[e.id for e in m._meta.get_field("name").check()] for m in (Explicit, Chosen, Automatic)]
    assert ids == [["privacy.E002"], [], []]


def test_every_model_with_an_encrypted_field_gets_its_id_before_the_insert():
    found = list(encrypted_fields())

    assert {"cases.Person", "cases.Incident", "conferences.AgendaItem"} <= {
        model._meta.label for model, _ in found
    }
    for model, fields in found:
        assert isinstance(model._meta.pk, RowIdField), model
        assert model._meta.pk.has_default(), model
        for field in fields:
            assert [e.id for e in field.check() if e.id.startswith("privacy.")] == [], field


def test_a_model_without_encrypted_fields_keeps_a_plain_automatic_primary_key():
    from birge.audit.models import AuditEvent

    pk = AuditEvent._meta.pk
    assert isinstance(pk, RowIdField)
    assert not pk.has_default()
    assert pk.get_default() is None
    assert pk.deconstruct()[1] == "django.db.models.BigAutoField"
