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

Emergency grants and seals name a handful of cases: their ids are read first, so that the
circle is the only subquery. (An OR of EXISTS subqueries cannot become a semi-join:
PostgreSQL then hashes every circle row of the agency on each request, 120-360 ms at a
million cases.)
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from birge.access.registry import models
from birge.agencies.models import User

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


def emergency_case_ids(user: User) -> list[int]:
    return list(
        models.emergency_grant.objects.filter(
            user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("case_id", flat=True)
    )


def emergency_in_force(user: User, path: str = "") -> Q:
    ids = emergency_case_ids(user)
    return Q(**{_lookup(path, "pk__in"): ids}) if ids else NOTHING


def not_retired(path: str = "") -> Q:
    return ~Q(**{_lookup(path, "status"): "retired"})


def sealed_case_ids(user: User) -> list[int]:
    """The sealed cases she is named on."""
    return list(models.seal.objects.filter(user=user).values_list("case_id", flat=True))


def unsealed_for(user: User, path: str = "") -> Q:
    rule = Q(**{_lookup(path, "sealed"): False})
    named = sealed_case_ids(user)
    if named:
        rule |= Q(**{_lookup(path, "pk__in"): named})
    return rule


def declared_digests(user: User) -> list[str]:
    """The blind-index digests of the persons she declared a relation to (read once per
    user object, that is once per request)."""
    cached = user.__dict__.get("_birge_conflict_digests")
    if cached is None:
        cached = list(
            models.declared_relation.objects.filter(
                user=user, withdrawn_at__isnull=True
            ).values_list("digest", flat=True)
        )
        user.__dict__["_birge_conflict_digests"] = cached
    return cached


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
