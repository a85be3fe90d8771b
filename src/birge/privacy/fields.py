"""Model fields whose values are encrypted in the database, each bound to its row.

The model sees plaintext; the column holds `birge.privacy.keys` tokens whose associated
data is "app_label.model.field#<primary key>": a token copied into another row, column
or table does not decrypt, it raises DecryptionError. Renaming a model or field
therefore needs `context="old_label.model.field"` or a data migration. "" and NULL are
stored as they are: an empty value reveals only its emptiness.

How a value travels:

- Reading: `from_db_value` does not decrypt (it cannot see the row); it wraps the token
  in a `Sealed` value. The field's attribute decrypts it with the instance's primary key
  the first time it is read and keeps the plaintext on the instance, so a list that
  shows only names decrypts only names. `.values()` and `.values_list()` hand out the
  `Sealed` value itself: `sealed.decrypt(pk=...)` opens it for its row, and `str()` of
  it is an error rather than text that looks like a value.
- Writing: `pre_save`, which sees the instance, encrypts for its primary key. A new row
  therefore needs its primary key before the INSERT: `birge.privacy.rowids.RowIdField`
  (the project's DEFAULT_AUTO_FIELD) takes it from the table's sequence, and the system
  check privacy.E002 fails for a model whose primary key would come too late. A value
  read and not changed is written back as the same token.
- `queryset.update()` and `bulk_update()` do not know the rows they write: they accept
  "" and None, and tokens made for the row by `encrypted_for_row` (which is what a
  compare-and-swap on one row uses); plaintext raises FieldError.

Encrypted values cannot be searched, ordered or compared in SQL: every lookup except
`isnull` and `exact` with "" or None raises FieldError (search with a blind index), and
a database expression (F(), Upper(), Value() of another type) cannot be written to them,
since it would store plaintext or scramble ciphertext.
"""

import datetime
from typing import Any

from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Case, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from birge.privacy.keys import DecryptionError, keyring


class Sealed:
    """An encrypted value as it is stored: the token and the field it belongs to, and the
    row it was read from once that is known.

    It is not the value: `str()` raises TypeError (a template or an f-string that meets
    one fails, rather than showing ciphertext or nothing); `decrypt()` opens it."""

    __slots__ = ("field", "row", "token")

    def __init__(self, token: str, field: "EncryptedFieldMixin", row: Any = None) -> None:
        self.token = token
        self.field = field
        self.row = row

    def decrypt(self, pk: Any = None) -> Any:
        """The plaintext, for the row `pk` (by default the row it was read from).

        Raises DecryptionError when the token belongs to another row, column or table."""
        return self.field.open(self, row=self.row if pk is None else pk)

    def __str__(self) -> str:
        raise TypeError(
            f"{self.field.encryption_context} is encrypted; call .decrypt(pk=...) on the "
            "sealed value, or read the attribute of a model instance."
        )

    def __repr__(self) -> str:
        return f"<Sealed {self.field.encryption_context} row={self.row!r}>"


class _DecryptedAttribute(DeferredAttribute):
    """The field's attribute: decrypts a Sealed value with the instance's primary key on
    first access and keeps the plaintext on the instance."""

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if type(value) is Sealed:
            value = value.decrypt(instance.pk if value.row is None else value.row)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        # Loading from the database sets the primary key first (it is the first concrete
        # field), so a value read is bound here to the row it was read from: it stays
        # readable, and is re-encrypted rather than copied if the instance gets a new pk.
        if type(value) is Sealed and value.row is None:
            row = instance.__dict__.get(instance._meta.pk.attname)
            if row is not None:
                value = Sealed(value.token, value.field, row)
        instance.__dict__[self.field.attname] = value


def _not_searchable(field: models.Field, lookup_name: str) -> FieldError:
    label = getattr(field, "encryption_context", None) or field.name or "this field"
    return FieldError(
        f"{label} is encrypted and cannot be searched; use a blind index "
        f"(refused lookup {lookup_name!r})."
    )


class _EmptyOnlyExact(Exact):
    """`exact` for encrypted columns: only "" and None (NULL) can be compared."""

    def get_prep_lookup(self) -> Any:
        if self.rhs is None or (isinstance(self.rhs, str) and self.rhs == ""):
            return self.rhs
        raise _not_searchable(self.lhs.output_field, "exact")


class EncryptedFieldMixin:
    """Encrypt for the row in pre_save, decrypt on attribute access, refuse SQL searches."""

    descriptor_class = _DecryptedAttribute

    def __init__(self, *args: Any, context: str | None = None, **kwargs: Any) -> None:
        self._fixed_context = context
        self.encryption_context: str | None = context
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if self._fixed_context is None:
            self.encryption_context = f"{cls._meta.label_lower}.{self.name}"

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self._fixed_context is not None:
            kwargs["context"] = self._fixed_context
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        # The column is text whatever the Python type: ciphertext is longer than the
        # plaintext, and backends must not apply date or varchar handling to it.
        return "TextField"

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.primary_key or self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be a primary key, unique or indexed: every "
                    "encryption of a value differs.",
                    hint="Add a blind index field for lookups instead.",
                    obj=self,
                    id="privacy.E001",
                )
            )
        model = getattr(self, "model", None)
        if model is not None and not model._meta.pk.has_default():
            errors.append(
                checks.Error(
                    "An encrypted field is bound to its row's primary key, and this model's "
                    "primary key is only known after the INSERT.",
                    hint="Let the model have the automatic primary key (DEFAULT_AUTO_FIELD, "
                    "birge.privacy.rowids.RowIdField) or one with a default.",
                    obj=self,
                    id="privacy.E002",
                )
            )
        return errors

    # --- Python <-> database -----------------------------------------------------------

    def _context(self) -> str:
        if self.encryption_context is None:
            raise ImproperlyConfigured(
                "An encrypted field must belong to a model (or be given context=) before "
                "it can encrypt or decrypt."
            )
        return self.encryption_context

    def _row(self, pk: Any) -> str:
        """The row part of the associated data: the primary key in its canonical form."""
        if type(pk) is int:  # the usual case, and a bulk loader's hot path
            return str(pk)
        model = getattr(self, "model", None)
        return str(pk if model is None else model._meta.pk.to_python(pk))

    def _prepare(self, value: Any) -> Any:
        """The plaintext as the field keeps it (text as it is, without a call per value)."""
        return value if type(value) is str else self.get_prep_value(value)

    def _to_text(self, value: Any) -> str:
        return value

    def _from_text(self, text: str) -> Any:
        return text

    def seal(self, value: Any, *, pk: Any) -> Any:
        """What is written for `value` in the row `pk`: a Sealed token, or "" / None."""
        if type(value) is Sealed:
            if (
                value.field._context() == self._context()
                and value.row is not None
                and pk is not None
                and self._row(value.row) == self._row(pk)
            ):
                return value  # read from this row and unchanged: the same token
            if value.row is None:
                raise FieldError(
                    f"A sealed value of {value.field._context()} read without its row "
                    "(values()) cannot be written; decrypt it with its pk first."
                )
            value = value.decrypt()
        value = self._prepare(value)
        if value is None or value == "":
            return value
        if pk is None:
            raise FieldError(
                f"{self._context()} is encrypted for its row, and the row has no primary "
                "key yet (see the system check privacy.E002)."
            )
        row = self._row(pk)
        token = keyring().encrypt(self._to_text(value), context=self._context(), row=row)
        return Sealed(token, self, pk)

    def open(self, sealed: Sealed, *, row: Any) -> Any:
        """The plaintext of a token of this field in the row `row`."""
        if row is None:
            raise DecryptionError(
                f"{self._context()}: a sealed value without its row cannot be decrypted; "
                "give the row's pk."
            )
        try:
            text = keyring().decrypt(sealed.token, context=self._context(), row=self._row(row))
        except DecryptionError as error:
            raise DecryptionError(f"{self._context()} of row {row}: {error}") from None
        return self._from_text(text)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if type(value) is Sealed:
            if value.field._context() != self._context():
                raise FieldError(
                    f"A token of {value.field._context()} cannot be written to {self._context()}."
                )
            return value.token
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        raise FieldError(
            f"{self._context()} is encrypted for its row, and this write does not say which "
            "row: assign the value to the instance and save() it, or give update() the "
            "values of birge.privacy.fields.encrypted_for_row(model, pk=..., ...)."
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self._empty_value(value)
        return Sealed(value, self)

    def _empty_value(self, value: Any) -> Any:
        return value

    # --- Writes ------------------------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        # Read past the attribute: a value loaded and never read is written back as it
        # was, without decrypting it.
        try:
            value = model_instance.__dict__[self.attname]
        except KeyError:
            value = getattr(model_instance, self.attname)
        if hasattr(value, "resolve_expression"):
            self._refuse_unencrypted(value)
            return value
        return self.seal(value, pk=model_instance.pk)

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        # queryset.update() passes expressions here, and only here.
        if hasattr(value, "resolve_expression"):
            self._refuse_unencrypted(value)
        return "%s"

    def _refuse_unencrypted(self, expression: Any) -> None:
        """Allow only what bulk_update() builds: Case/When over Values of this field (cast
        to its type on PostgreSQL); the Values' own preparation refuses plaintext."""
        if isinstance(expression, Value):
            if expression.value in (None, "") or expression._output_field_or_none is self:
                return
        elif isinstance(expression, Cast) and expression._output_field_or_none is self:
            self._refuse_unencrypted(expression.get_source_expressions()[0])
            return
        elif isinstance(expression, Case):
            for when in expression.cases:
                self._refuse_unencrypted(when)
            self._refuse_unencrypted(expression.default)
            return
        elif isinstance(expression, When):
            self._refuse_unencrypted(expression.result)
            return
        raise FieldError(
            f"{self.encryption_context or self.name} is encrypted: assign a plain value, "
            "not a database expression, so that it is encrypted before it is written."
        )

    # --- Lookups -------------------------------------------------------------------------

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise _not_searchable(self, lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise _not_searchable(self, lookup_name)


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Free text (narratives, addresses, notes) encrypted at rest."""


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short value encrypted at rest; max_length limits the plaintext, the column is text."""


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    """A date (such as a date of birth) encrypted at rest as its ISO text."""

    def _to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def _from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def _empty_value(self, value: Any) -> None:
        return None

    def _prepare(self, value: Any) -> Any:
        return self.get_prep_value(value)  # text is parsed as a date

    def get_prep_value(self, value: Any) -> Any:
        # A date has no empty string: treat "" like None rather than failing to parse it.
        if value == "":
            return None
        return super().get_prep_value(value)


def encrypted_for_row(model: type[models.Model], *, pk: Any, **values: Any) -> dict[str, Any]:
    """`values` for `queryset.update()` of the one row `pk`: the encrypted fields' values
    encrypted for that row, the others as they are.

        Case.objects.filter(pk=case.pk, version=v).update(
            version=F("version") + 1, **encrypted_for_row(Case, pk=case.pk, sealed_reason=r)
        )
    """
    out = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        sealable = isinstance(field, EncryptedFieldMixin) and not hasattr(
            value, "resolve_expression"
        )
        out[name] = field.seal(value, pk=pk) if sealable else value
    return out


def token_for_row(field: models.Field, value: Any, *, pk: Any) -> str | None:
    """The column text of `value` in the row `pk` (a token, "" or None), for a bulk
    loader that writes rows itself (COPY) with primary keys it assigned."""
    if not isinstance(field, EncryptedFieldMixin):
        raise TypeError(f"{field} is not an encrypted field.")
    sealed = field.seal(value, pk=pk)
    return sealed.token if type(sealed) is Sealed else sealed
