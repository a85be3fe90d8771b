"""Which keys and token versions the stored values are under, and re-encrypting them as
row-bound tokens under the current key.

Both work on raw column values (the field's decryption is bypassed), in SQL where they can:
counting is one aggregate per field, and rotation selects only the rows that hold a value
that is column-bound (v1) or under an old key, in primary-key order, a batch per
transaction. Each row is written with a compare-and-swap on the raw values it was read
with, so a concurrent edit is never overwritten; a rotated row no longer matches, so
running twice, or again after an interruption, continues where the last run stopped.

The same code runs in `birge keys rotate` and, on historical models, in the privacy
app's migration that binds the v1 tokens of an existing database to their rows.
`plaintext_encrypt` is for the data migration that follows making a field encrypted: it
encrypts, for their rows, the values the column held in plaintext.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.db import models, router, transaction
from django.db.models import Count, ExpressionWrapper, F, Q, TextField
from django.db.models.lookups import Exact, IsNull, StartsWith

from birge.privacy.fields import EncryptedFieldMixin, Sealed
from birge.privacy.keys import COLUMN_BOUND, VERSION, DecryptionError, Keyring, keyring, token_label

EMPTY = "(empty)"
UNREADABLE = "(not a token)"


def encrypted_fields(apps: Any = None) -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Every concrete model with the encrypted fields it stores in its own table (of the
    app registry, or of a migration's historical `apps`)."""
    for model in (apps or global_apps).get_models():
        if model._meta.proxy or model._meta.swapped:
            continue
        found = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if found:
            yield model, found


def _raw(field: models.Field) -> ExpressionWrapper:
    # The column as plain text: TextField has no converter, so nothing is decrypted.
    return ExpressionWrapper(F(field.attname), output_field=TextField())


def _under(field: models.Field, label: str) -> StartsWith:
    return StartsWith(_raw(field), f"{label}.")


def _blank(field: models.Field) -> Q:
    return Q(IsNull(_raw(field), True)) | Q(Exact(_raw(field), ""))


def _labels(ring: Keyring) -> list[str]:
    return [f"{version}.{kid}" for version in (VERSION, COLUMN_BOUND) for kid in ring.key_ids]


def key_usage(model: type[models.Model], field: models.Field, *, ring: Keyring) -> Counter:
    """How many values of the field are under each "<version>.<key id>" (such as "v2.k1",
    or "v1.k1" for column-bound tokens), plus empty and unreadable ones."""
    manager = model._base_manager
    labels = _labels(ring)
    counts = manager.aggregate(
        total=Count("pk"),
        empty=Count("pk", filter=_blank(field)),
        **{f"n{i}": Count("pk", filter=_under(field, label)) for i, label in enumerate(labels)},
    )
    usage = Counter({label: counts[f"n{i}"] for i, label in enumerate(labels)})
    usage[EMPTY] = counts["empty"]
    if counts["total"] > sum(usage.values()):
        # Rare: values under keys no longer configured, or not tokens at all.
        known = _blank(field)
        for label in labels:
            known |= Q(_under(field, label))
        rest = manager.exclude(known).values_list(_raw(field), flat=True)
        for raw in rest.iterator(chunk_size=2000):
            try:
                usage[token_label(raw)] += 1
            except DecryptionError:
                usage[UNREADABLE] += 1
    return +usage


def column_bound_count(usage: Counter) -> int:
    """How many of the counted values are column-bound (v1) tokens."""
    return sum(n for label, n in usage.items() if label.startswith(f"{COLUMN_BOUND}."))


@dataclass
class RotationReport:
    rows: int = 0
    values: int = 0
    changed_meanwhile: int = 0
    unreadable: int = 0
    # The first few (pk, field name) that did not decrypt: never the value itself.
    unreadable_examples: list[tuple[object, str]] = field(default_factory=list)


def rotate_model(
    model: type[models.Model],
    fields: list[models.Field],
    *,
    ring: Keyring | None = None,
    batch_size: int = 1000,
    using: str | None = None,
) -> RotationReport:
    """Re-encrypt the model's values that are not row-bound under the current key."""
    ring = ring or keyring()
    current = f"{VERSION}.{ring.current_id}"
    stale = Q()
    for f in fields:
        stale |= ~_blank(f) & ~Q(_under(f, current))

    def token(f: Any, pk: Any, raw: str) -> str | None:
        if not _is_stale(raw, ring):
            return None
        return ring.reencrypt(raw, context=f.encryption_context, row=f._row(pk))

    return _rewrite(model, fields, stale, token, batch_size=batch_size, using=using)


def plaintext_encrypt(
    model: type[models.Model],
    field_names: list[str],
    *,
    batch_size: int = 1000,
    using: str | None = None,
) -> RotationReport:
    """Encrypt for its row every value of the fields that is not a token yet: the data
    migration after an AlterField that made a text column encrypted, run on the
    historical model. Tokens and empty values are left; like rotation it works in
    batches, compare-and-swap, and can run again.

        migrations.RunPython(
            lambda apps, editor: plaintext_encrypt(apps.get_model("cases", "CircleMember"),
                                                   ["reason"], using=editor.connection.alias),
            migrations.RunPython.noop,
        )
    """
    ring = keyring()
    fields = [model._meta.get_field(name) for name in field_names]
    filled = Q()
    for f in fields:
        filled |= ~_blank(f)

    def token(f: Any, pk: Any, raw: str) -> str | None:
        if _is_token(raw):
            return None
        return ring.encrypt(raw, context=f.encryption_context, row=f._row(pk))

    return _rewrite(model, fields, filled, token, batch_size=batch_size, using=using)


Retoken = Callable[[Any, Any, str], str | None]


def _rewrite(
    model: type[models.Model],
    fields: list[models.Field],
    where: Q,
    token: Retoken,
    *,
    batch_size: int,
    using: str | None,
) -> RotationReport:
    """Give the rows matching `where`, in pk order and a batch per transaction, the new
    tokens `token(field, pk, raw value)` makes (None: leave the value)."""
    using = using or router.db_for_write(model)
    manager = model._base_manager.db_manager(using)
    raw_names = {f.name: f"birge_raw_{f.name}" for f in fields}
    base = (
        manager.filter(where)
        .annotate(**{raw_names[f.name]: _raw(f) for f in fields})
        .order_by("pk")
        .values_list("pk", *raw_names.values())
    )
    report = RotationReport()
    last_pk = None
    while True:
        batch = base if last_pk is None else base.filter(pk__gt=last_pk)
        with transaction.atomic(using=using):
            rows = list(batch[:batch_size])
            for pk, *raws in rows:
                _rewrite_row(manager, fields, pk, raws, token, report)
        if len(rows) < batch_size:
            return report
        last_pk = rows[-1][0]


def _rewrite_row(manager, fields, pk, raws, token: Retoken, report: RotationReport) -> None:
    new_values = {}
    unchanged = Q(pk=pk)
    for f, raw in zip(fields, raws, strict=True):
        if raw in (None, ""):
            continue
        try:
            new = token(f, pk, raw)
        except DecryptionError:
            report.unreadable += 1
            if len(report.unreadable_examples) < 20:
                report.unreadable_examples.append((pk, f.name))
            continue
        if new is None:
            continue
        new_values[f.name] = Sealed(new, f, pk)
        unchanged &= Q(Exact(_raw(f), raw))
    if not new_values:
        return
    if manager.filter(unchanged).update(**new_values):
        report.rows += 1
        report.values += len(new_values)
    else:
        report.changed_meanwhile += 1


def _is_stale(raw: str, ring: Keyring) -> bool:
    try:
        return ring.needs_rotation(raw)
    except DecryptionError:
        return True  # not a token: reported as unreadable by the caller


def _is_token(raw: str) -> bool:
    try:
        token_label(raw)
    except DecryptionError:
        return False
    return True
