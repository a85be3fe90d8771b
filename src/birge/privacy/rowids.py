"""Primary keys known before the INSERT, for rows whose encrypted values are bound to them.

`RowIdField` is the project's DEFAULT_AUTO_FIELD, so every model gets it without saying
so. On a model without encrypted fields it is a plain BigAutoField. On a model with one,
a new row that holds an encrypted value takes its id from the table's own sequence just
before the INSERT, in one statement (`row_ids_allocate`), so that `pre_save` can encrypt
for it; this covers `save()`, `objects.create()` and `bulk_create()`, which all ask the
primary key field for its value (`get_pk_value_on_save`). The field then also reports a
default, which is how Django knows to INSERT at once instead of trying an UPDATE first.
A row whose encrypted values are all empty needs no id in advance: the database assigns
it as usual, with no extra round trip.

It describes itself to migrations as a BigAutoField: the column is the same, so adding
an encrypted field to a model is a one-line change with no change to its primary key.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router

from birge.privacy.fields import EncryptedFieldMixin


class RowIdField(models.BigAutoField):
    """A BigAutoField that allocates the id before the INSERT when the row needs it."""

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BigAutoField", args, kwargs

    def _encrypted(self) -> list[models.Field]:
        """The model's encrypted columns (read once the model is complete)."""
        found = self.__dict__.get("_encrypted_fields")
        if found is None:
            model = getattr(self, "model", None)
            if model is None or not model._meta.apps.models_ready:
                return []
            found = [
                f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedFieldMixin)
            ]
            self.__dict__["_encrypted_fields"] = found
        return found

    def has_default(self) -> bool:
        return bool(self._encrypted()) or super().has_default()

    def get_default(self) -> Any:
        return None if self._encrypted() else super().get_default()

    def get_pk_value_on_save(self, instance: models.Model) -> Any:
        encrypted = self._encrypted()
        if encrypted and any(instance.__dict__.get(f.attname) not in (None, "") for f in encrypted):
            using = router.db_for_write(self.model, instance=instance)
            return row_ids_allocate(self.model, count=1, using=using)[0]
        return super().get_pk_value_on_save(instance)


def row_ids_allocate(model: type[models.Model], *, count: int, using: str = "default") -> list[int]:
    """`count` new ids from the model's table, in one statement, never handed out twice.

    PostgreSQL: nextval() of the column's sequence (serial or identity). SQLite: the
    table's sqlite_sequence row, moved on by one UPDATE (AUTOINCREMENT tables, which
    Django makes, keep it at least at the largest id ever used)."""
    if count < 1:
        return []
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            quoted = connection.ops.quote_name(column)
            return _sqlite_allocate(cursor, model._meta.db_table, table, quoted, count)
    raise ImproperlyConfigured(
        f"Allocating row ids is not implemented for {connection.vendor} databases."
    )


_SQLITE_TAKE = "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq"
# The first row of a table that never had one: start from its largest id (normally 0).
_SQLITE_START = (
    "INSERT INTO sqlite_sequence (name, seq) "
    "SELECT %s, COALESCE((SELECT MAX({column}) FROM {table}), 0) "
    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)"
)


def _sqlite_allocate(cursor: Any, name: str, table: str, column: str, count: int) -> list[int]:
    cursor.execute(_SQLITE_TAKE, [count, name])
    row = cursor.fetchone()
    if row is None:
        # Each statement holds the database's write lock: two first inserts at once still
        # create one row, and each takes its own ids from it.
        start = _SQLITE_START.format(column=column, table=table)
        cursor.execute(start, [name, name])
        cursor.execute(_SQLITE_TAKE, [count, name])
        row = cursor.fetchone()
    top = row[0]
    return list(range(top - count + 1, top + 1))
