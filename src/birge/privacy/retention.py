"""Forgetting as a register: what each app holds about a case, and what retention does to it.

A closed case is anonymised `BIRGE_RETENTION_DAYS` after closing (`birge.cases`' retention
job picks the cases). What that means is not written in one app reaching into the others:
each app declares, for every model it keeps about a case (its `protection.py`, at start-up),

- `case`: the lookup from the model to the case ("case", "plan__case", "item__case"), or
  several, when a row belongs to the case through any of them,
- `blank`: the fields that go (text becomes "", a nullable value None),
- `keep`: the fields that stay, declared harmless (codes, counts, dates the statistics need),
- `delete`: the rows go altogether (derived data, such as blind indexes),
- `stamp`: a field set to the time of anonymising,

and `forget_cases` runs every declaration. A test walks every model of the app registry
that refers to a case or a person and fails when a text or personal field is neither
blanked nor declared harmless, so a new field or app cannot slip past retention.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    case: str | tuple[str, ...]
    blank: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    delete: bool = False
    stamp: str = ""
    # Why the kept fields are harmless, for the documentation and the reviewer.
    why: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label


_REGISTER: dict[str, Holding] = {}


def hold(
    model: type[models.Model],
    *,
    case: str | tuple[str, ...],
    blank: Iterable[str] = (),
    keep: Iterable[str] = (),
    delete: bool = False,
    stamp: str = "",
    why: str = "",
) -> None:
    """Declare what `model` holds about a case and what retention does to it."""
    holding = Holding(model, case, tuple(blank), tuple(keep), delete, stamp, why)
    for name in (*holding.blank, *holding.keep, *((stamp,) if stamp else ())):
        model._meta.get_field(name)  # a typo fails at start-up, not at retention
    if set(holding.blank) & set(holding.keep):
        raise ValueError(f"{holding.label}: a field is both blanked and kept")
    _REGISTER[holding.label] = holding


def holdings() -> list[Holding]:
    return list(_REGISTER.values())


def _empty(model: type[models.Model], name: str) -> object:
    field = model._meta.get_field(name)
    if getattr(field, "null", False):
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    return ""


def forget_cases(case_ids: list[int], *, now: datetime) -> None:
    """Run every declaration for these cases (inside the caller's transaction). Deletions
    run first: they are derived data that must not outlive what they were derived from."""
    for holding in sorted(holdings(), key=lambda h: not h.delete):
        paths = (holding.case,) if isinstance(holding.case, str) else holding.case
        of_cases = Q()
        for path in paths:
            of_cases |= Q(**{f"{path}__in": case_ids})
        rows = holding.model._base_manager.filter(of_cases)
        if holding.delete:
            rows.delete()
            continue
        changes = {name: _empty(holding.model, name) for name in holding.blank}
        if holding.stamp:
            changes[holding.stamp] = now
        if changes:
            rows.update(**changes)
