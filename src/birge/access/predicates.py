"""The conditions every access rule about a case is made of, each written once.

Each predicate is a `Q` over a queryset of anything that leads to a case: `path` is the
lookup from that model to the case ("" for a case itself, "case" for a referral or an
agenda item, "item__case" for a research note). The rules in `birge.access.cases`,
`.referrals` and `.conferences` compose them; no other module writes them again.

- `in_circle`: her agency is in the case's circle (not removed);
- `emergency_in_force`: she holds unexpired, unended emergency access to it;
- `not_retired`: the case is not retired (a retired case exists for nobody);
- `unsealed_for`: the case is not sealed, or she is named on its seal;
- `no_declared_relation`: no person in the case matches a person she declared a relation to.

Emergency grants, seals and declared relations name a handful of cases or persons: they
are read first, in one query once per request (`grants`), so that the circle is the only
subquery. (An OR of EXISTS subqueries cannot become a semi-join:
PostgreSQL then hashes every circle row of the agency on each request, 120-360 ms at a
million cases.)
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from birge.access.registry import models
from birge.agencies.models import User
from birge.web import request_context

NOTHING = Q(pk__in=[])


def _lookup(path: str, name: str) -> str:
    return f"{path}__{name}" if path else name


def _case_ref(path: str) -> OuterRef:
    """The case's id as seen from the outer queryset."""
    return OuterRef(f"{path}_id" if path else "pk")


def in_circle(user: User, path: str = "", *, before: int | None = None) -> Q:
    """`before` bounds the circle subquery as well, so that a keyset page's semi-join starts
    at the page, not at the newest case."""
    circle = models.circle_member.objects.filter(
        case=_case_ref(path), agency_id=user.agency_id, removed_at__isnull=True
    )
    if before is not None:
        circle = circle.filter(case_id__lt=before)
    return Q(Exists(circle))


@dataclass(frozen=True)
class Grants:
    """What opens or closes cases to her beyond her agency's circles."""

    emergency: frozenset[int]  # cases she holds emergency access to, in force
    sealed: frozenset[int]  # sealed cases she is named on
    declared: tuple[str, ...]  # digests of persons she declared a relation to


def _as_pairs(queryset: QuerySet, kind: str, value: Any) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(kind=Value(kind, output_field=CharField()), value=value)
        .values_list("kind", "value")
    )


def _grants_read(user: User) -> Grants:
    as_text: CharField = CharField()
    rows = _as_pairs(
        models.emergency_grant.objects.filter(
            user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
        ),
        "e",
        Cast("case_id", as_text),
    ).union(
        _as_pairs(models.seal.objects.filter(user=user), "s", Cast("case_id", as_text)),
        _as_pairs(
            models.declared_relation.objects.filter(user=user, withdrawn_at__isnull=True),
            "d",
            Cast("digest", as_text),
        ),
        all=True,
    )
    found: dict[str, list[str]] = {"e": [], "s": [], "d": []}
    for kind, value in rows:
        found[kind].append(value)
    return Grants(
        emergency=frozenset(int(v) for v in found["e"]),
        sealed=frozenset(int(v) for v in found["s"]),
        declared=tuple(sorted(found["d"])),
    )


def grants(user: User) -> Grants:
    """Her grants, read in one query once per request (the list, the header's counts and
    every check on the page ask)."""
    return request_context.remembered(("access.grants", user.pk), lambda: _grants_read(user))


# What the request remembers about her access (`grants`, and the consent scopes in
# birge.access.fields) is read from these; writing one makes the request read it again.
GRANT_ROLES = ("emergency_grant", "seal", "declared_relation", "consent")


def grants_changed(sender: type, instance: Any = None, **kwargs: Any) -> None:
    """A grant or consent was written or removed (post_save, post_delete, m2m_changed,
    whose sender is the link table and instance the record; a bulk write calls it
    itself): this request reads them again."""
    granting = [models._provided.get(role) for role in GRANT_ROLES]
    if sender in granting or type(instance) in granting:
        request_context.forget()


def emergency_case_ids(user: User) -> list[int]:
    return sorted(grants(user).emergency)


def emergency_in_force(user: User, path: str = "") -> Q:
    ids = emergency_case_ids(user)
    return Q(**{_lookup(path, "pk__in"): ids}) if ids else NOTHING


def not_retired(path: str = "") -> Q:
    return ~Q(**{_lookup(path, "status"): "retired"})


def sealed_case_ids(user: User) -> list[int]:
    """The sealed cases she is named on."""
    return sorted(grants(user).sealed)


def unsealed_for(user: User, path: str = "") -> Q:
    rule = Q(**{_lookup(path, "sealed"): False})
    named = sealed_case_ids(user)
    if named:
        rule |= Q(**{_lookup(path, "pk__in"): named})
    return rule


def declared_digests(user: User) -> list[str]:
    """The blind-index digests of the persons she declared a relation to."""
    return list(grants(user).declared)


def involving(digests: list[str], path: str = "") -> Exists:
    """A person in the case has one of these digests."""
    return Exists(
        models.participant.objects.filter(case=_case_ref(path), person__indexes__digest__in=digests)
    )


def no_declared_relation(user: User, path: str = "") -> Q:
    digests = declared_digests(user)
    return ~Q(involving(digests, path)) if digests else Q()


def reachable(user: User, path: str = "", *, before: int | None = None) -> Q:
    """Her agency's circle or her emergency access reaches the case."""
    return in_circle(user, path, before=before) | emergency_in_force(user, path)
