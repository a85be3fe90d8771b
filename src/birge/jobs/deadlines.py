"""The deadline machinery every follow-up job shares (referrals, conference actions).

A deadline has steps (a reminder, then escalations), each recorded by a timestamp on the
row. One pass reads the candidates without locks, decides which steps are due, then, per
batch, claims the rows with `SELECT … FOR UPDATE SKIP LOCKED`, sets the step's timestamp
and notifies in that same transaction (notifications carry a dedupe key). So a step
happens once, however often and on however many servers the job runs, and a step whose
time came while no job ran still happens.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Model, Q, QuerySet

BATCH = 200


@dataclass(frozen=True)
class Step:
    field: str  # the row's timestamp that says the step happened
    kind: str  # the notification
    action: str  # the audit event
    audience: str  # who hears of it; the job's own `audiences` knows what it means


@dataclass(frozen=True)
class Deadline:
    """One kind of deadline: its open rows, how to read their span, and its steps."""

    waiting: Callable[[], QuerySet]  # the open rows (re-applied under the lock)
    span_fields: tuple[str, ...]  # the values `span` reads from each row
    span: Callable[..., tuple[datetime, datetime]]  # (start, due) from those values
    steps: tuple[Step, ...]
    is_due: Callable[[Step, datetime, datetime, datetime], bool]  # (step, start, due, now)
    act: Callable[[Model, Step, datetime], None]  # audit and notify, inside the claim


def deadline_pass(deadline: Deadline, now: datetime) -> int:
    """One pass: every step whose time has come, once. Returns how many happened."""
    steps = deadline.steps
    pending = Q()
    for step in steps:
        pending |= Q(**{f"{step.field}__isnull": True})
    rows = deadline.waiting().filter(pending)
    fields = [step.field for step in steps]
    due: dict[Step, list[int]] = {step: [] for step in steps}
    for pk, *values in rows.values_list("pk", *fields, *deadline.span_fields).iterator(
        chunk_size=2000
    ):
        done, span_values = values[: len(steps)], values[len(steps) :]
        start, due_at = deadline.span(*span_values)
        for step, done_at in zip(steps, done, strict=True):
            if done_at is None and deadline.is_due(step, start, due_at, now):
                due[step].append(pk)
    count = 0
    for step in steps:
        ids = due[step]
        for first in range(0, len(ids), BATCH):
            count += _claim(deadline, step, ids[first : first + BATCH], now)
    return count


def _claim(deadline: Deadline, step: Step, ids: Iterable[int], now: datetime) -> int:
    with transaction.atomic():
        rows = list(
            deadline.waiting()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, **{f"{step.field}__isnull": True})
            .order_by("pk")
        )
        if not rows:
            return 0
        model = type(rows[0])
        model.objects.filter(pk__in=[r.pk for r in rows]).update(**{step.field: now})
        for row in rows:
            deadline.act(row, step, now)
    return len(rows)


def share_of_span(start: datetime, due: datetime, share: float) -> datetime:
    """The moment `share` of the span from start to due has passed."""
    return start + max(due - start, timedelta(0)) * share
