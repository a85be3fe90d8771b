"""Model fields whose values are encrypted in the database.

The model sees plaintext; the column holds `birge.privacy.keys` tokens. The context (the
associated data) is "app_label.model.field", so a token copied to another column does not
decrypt; renaming a model or field therefore needs `context="old.label.name"` or a data
migration. "" and NULL are stored as they are: an empty value reveals only its emptiness.

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
from django.db.models.lookups import Exact, IsNull

from birge.privacy.keys import keyring


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
    """Encrypt in get_db_prep_value, decrypt in from_db_value, refuse SQL searches."""

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
        return errors

    # --- Python <-> database -----------------------------------------------------------

    def _context(self) -> str:
        if self.encryption_context is None:
            raise ImproperlyConfigured(
                "An encrypted field must belong to a model (or be given context=) before "
                "it can encrypt or decrypt."
            )
        return self.encryption_context

    def _to_text(self, value: Any) -> str:
        return value

    def _from_text(self, text: str) -> Any:
        return text

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(self._to_text(value), context=self._context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self._empty_value(value)
        return self._from_text(keyring().decrypt(value, context=self._context()))

    def _empty_value(self, value: Any) -> Any:
        return value

    def decrypt_db_value(self, value: str | None) -> Any:
        """The Python value of a raw column value (for key rotation)."""
        return self.from_db_value(value, None, None)

    # --- Writes of expressions -----------------------------------------------------------

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        if hasattr(value, "resolve_expression"):
            self._refuse_unencrypted(value)
        return value

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        # queryset.update() passes expressions here, and only here.
        if hasattr(value, "resolve_expression"):
            self._refuse_unencrypted(value)
        return "%s"

    def _refuse_unencrypted(self, expression: Any) -> None:
        """Allow only what bulk_update() builds: Case/When over Values of this field."""
        if isinstance(expression, Value):
            if expression.value in (None, "") or expression._output_field_or_none is self:
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

    def get_prep_value(self, value: Any) -> Any:
        # A date has no empty string: treat "" like None rather than failing to parse it.
        if value == "":
            return None
        return super().get_prep_value(value)
