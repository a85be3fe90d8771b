"""Finding the same person across cases through keyed blind indexes, never plaintext.

Two kinds of answer:

- *the same person*: the same name skeleton with the same birth date or phone
  (`NAME_BIRTH`, `NAME_PHONE`), or a possible match a coordinator confirmed. This counts
  as repeat victimisation or a serial perpetrator.
- *possibly the same person*: the same first name and birth date, and a surname that
  differs only in its gendered ending (Məmmədova and Məmmədov, `STEM_BIRTH`). It is only
  offered to a coordinator to compare and confirm or dismiss (`IdentityDecision`); it is
  never merged, counted or treated as a match until she confirms it.

Matching is person to person, whatever part each has in her or his case (a perpetrator
may be recorded as a woman in one case and a man in another).

Every digest is derived from the decrypted names with the current rules of
`birge.privacy.blind_index`. When those rules change, the stored digests no longer meet
new ones: `identity_indexes_rebuild` (`birge identity rebuild`) recomputes them.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.crypto import salted_hmac

from birge.cases.models import (
    CasePerson,
    ConflictDeclaration,
    IdentityDecision,
    Person,
    PersonIndex,
)
from birge.privacy.blind_index import blind_index, name_skeleton, phone_normalise, surname_stem

P = PersonIndex.Purpose
STRONG = (P.NAME_BIRTH, P.NAME_PHONE)
A = IdentityDecision.Answer


def name_digests(first_name: str, last_name: str) -> list[str]:
    """Digests for a search by first and last name, in either order."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    if not first or not last:
        return []
    return [blind_index(P.NAME, first, last), blind_index(P.NAME, last, first)]


def word_digests(word: str) -> list[str]:
    """Digests for a search by one word: a first name or a surname."""
    skeleton = name_skeleton(word)
    if not skeleton:
        return []
    return [blind_index(P.FIRST_NAME, skeleton), blind_index(P.LAST_NAME, skeleton)]


def person_digests(
    *, first_name: str, last_name: str, birth_date: date | None, phone: str
) -> list[tuple[str, str]]:
    """The (purpose, digest) pairs stored for a person."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    pairs = []
    if first and last:
        pairs.append((P.NAME, blind_index(P.NAME, first, last)))
        if birth_date:
            born = birth_date.isoformat()
            pairs.append((P.NAME_BIRTH, blind_index(P.NAME_BIRTH, first, last, born)))
            stem = surname_stem(last_name)
            pairs.append((P.STEM_BIRTH, blind_index(P.STEM_BIRTH, first, stem, born)))
        number = phone_normalise(phone) if phone else None
        if number:
            pairs.append((P.NAME_PHONE, blind_index(P.NAME_PHONE, first, last, number)))
    if first:
        pairs.append((P.FIRST_NAME, blind_index(P.FIRST_NAME, first)))
    if last:
        pairs.append((P.LAST_NAME, blind_index(P.LAST_NAME, last)))
    return pairs


def relation_digest(*, first_name: str, last_name: str, birth_date: date | None) -> str | None:
    """The digest of a declared relation: the person's name with her birth date when known
    (it then meets `NAME_BIRTH`), else the name alone (`NAME`); None without both names."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    if not first or not last:
        return None
    if birth_date:
        return blind_index(P.NAME_BIRTH, first, last, birth_date.isoformat())
    return blind_index(P.NAME, first, last)


def person_index_build(person: Person) -> None:
    """Replace the person's blind indexes with ones computed from her current data."""
    PersonIndex.objects.filter(person=person).delete()
    PersonIndex.objects.bulk_create(
        PersonIndex(person=person, purpose=purpose, digest=digest)
        for purpose, digest in person_digests(
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            phone=person.phone,
        )
    )


# --- Matches -------------------------------------------------------------------------


def _sharing(person_ids: Iterable[int], purposes: Iterable[str]) -> set[int]:
    """Persons with a digest of these purposes equal to one of these persons'."""
    purposes = list(purposes)
    digests = PersonIndex.objects.filter(
        person_id__in=list(person_ids), purpose__in=purposes
    ).values("digest")
    return set(
        PersonIndex.objects.filter(purpose__in=purposes, digest__in=digests).values_list(
            "person_id", flat=True
        )
    )


def _decisions(person_ids: set[int]) -> list[tuple[int, int, str]]:
    ids = list(person_ids)
    return list(
        IdentityDecision.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids)).values_list(
            "person_id", "other_id", "answer"
        )
    )


def identity_same_persons(person_ids: Iterable[int]) -> set[int]:
    """These persons and every person known to be the same: by a strong index, or by a
    coordinator's confirmation, and by a strong index of a confirmed one."""
    same = set(person_ids)
    same |= _sharing(same, STRONG)
    confirmed = {p for a, b, answer in _decisions(same) if answer == A.SAME for p in (a, b)}
    if confirmed - same:
        same |= confirmed | _sharing(confirmed - same, STRONG)
    return same


def _cases_of(person_ids: Iterable[int], exclude_case_id: int | None):
    # An anonymised person is nobody any more, even where a decision still names her.
    parts = CasePerson.objects.filter(
        person_id__in=list(person_ids), person__anonymised_at__isnull=True
    )
    if exclude_case_id is not None:
        parts = parts.exclude(case_id=exclude_case_id)
    return parts


def identity_may_match(person_ids: Iterable[int]) -> set[int]:
    """Of these persons, those another case may hold: one of their strong or stem digests
    is another person's too, or a coordinator's decision names them. One query for a whole
    case, so that a page asks the costlier questions only about them (most have none)."""
    ids = list(person_ids)
    if not ids:
        return set()
    purposes = (*STRONG, P.STEM_BIRTH)
    elsewhere = PersonIndex.objects.filter(
        digest=OuterRef("digest"), purpose=OuterRef("purpose")
    ).exclude(person_id=OuterRef("person_id"))
    shared = (
        PersonIndex.objects.filter(person_id__in=ids, purpose__in=purposes)
        .filter(Exists(elsewhere))
        .order_by()
        .values_list("person_id")
    )
    decisions = IdentityDecision.objects.order_by()
    named = shared.union(
        decisions.filter(person_id__in=ids).values_list("person_id"),
        decisions.filter(other_id__in=ids).values_list("other_id"),
    )
    return {person_id for (person_id,) in named} & set(ids)


def identity_matches(
    *, person: Person, exclude_case_id: int | None = None, same: set[int] | None = None
) -> dict[int, set[str]]:
    """Other cases holding the same person (name with birth date, or name with phone, or
    confirmed by a coordinator): {case id: {parts she or he has there}}. `same`:
    `identity_same_persons([person.pk])`, when the caller already has it."""
    if same is None:
        same = identity_same_persons([person.pk])
    others = same - {person.pk}
    found: dict[int, set[str]] = defaultdict(set)
    for case_id, part in _cases_of(others, exclude_case_id).values_list("case_id", "part"):
        found[case_id].add(part)
    return dict(found)


@dataclass(frozen=True)
class PossibleMatch:
    """Another case's person who may be this person: for a coordinator to compare."""

    person_id: int
    other_person_id: int
    case_id: int
    part: str

    @property
    def token(self) -> str:
        """Names the pair in a form without showing the other person's id."""
        return possible_match_token(person_id=self.person_id, other_person_id=self.other_person_id)


def possible_match_token(*, person_id: int, other_person_id: int) -> str:
    return salted_hmac(
        "birge.cases.identity.possible_match",
        f"{person_id}:{other_person_id}",
        algorithm="sha256",
    ).hexdigest()


def identity_possible_matches(
    *, person: Person, exclude_case_id: int | None = None, same: set[int] | None = None
) -> list[PossibleMatch]:
    """Other cases' persons with the same first name and birth date whose surname differs
    only in its gendered ending, not yet decided, in cases that do not already hold the
    same person. Ordered by case. `same` as for `identity_matches`."""
    candidates = _sharing([person.pk], [P.STEM_BIRTH]) - {person.pk}
    if not candidates:
        return []
    if same is None:
        same = identity_same_persons([person.pk])
    decided = {
        other
        for a, b, _answer in _decisions(same | candidates)
        for mine, other in ((a, b), (b, a))
        if mine in same
    }
    candidates -= same | decided
    if not candidates:
        return []
    known_cases = set(_cases_of(same - {person.pk}, None).values_list("case_id", flat=True))
    rows = (
        _cases_of(candidates, exclude_case_id)
        .exclude(case_id__in=known_cases)
        .order_by("case_id", "person_id")
        .values_list("person_id", "case_id", "part")
    )
    return [
        PossibleMatch(person_id=person.pk, other_person_id=other, case_id=case_id, part=part)
        for other, case_id, part in rows
    ]


# --- Rebuilding the digests ----------------------------------------------------------


@dataclass
class IndexRebuild:
    persons: int = 0
    declarations: int = 0


def identity_indexes_rebuild(
    *,
    batch_size: int = 1000,
    person_model=Person,
    index_model=PersonIndex,
    declaration_model=ConflictDeclaration,
    purposes: Collection[str] | None = None,
) -> IndexRebuild:
    """Recompute every person's blind indexes and every declared relation's digest from
    the decrypted names, with the current rules. Run it after any change to the name
    skeleton or the surname stem (a data migration passes its historical models).
    `purposes`: only the persons' indexes of these purposes, for a migration that adds a
    kind of index (the declared relations are then left alone).

    The indexes are derived data: each batch is replaced in one transaction, so the
    rebuild is safe to interrupt and to run again while Birge is in use. Anonymised
    persons have no indexes and get none."""
    done = IndexRebuild()
    wanted = set(purposes) if purposes is not None else set(P.values)
    last = 0
    while True:
        with transaction.atomic():
            # Locked, so that a person anonymised meanwhile does not get her indexes back.
            people = list(
                person_model.objects.select_for_update()
                .filter(pk__gt=last, anonymised_at__isnull=True)
                .order_by("pk")
                .only("pk", "first_name", "last_name", "birth_date", "phone")[:batch_size]
            )
            if not people:
                break
            index_model.objects.filter(
                person_id__in=[p.pk for p in people], purpose__in=wanted
            ).delete()
            index_model.objects.bulk_create(
                index_model(person_id=p.pk, purpose=str(purpose), digest=digest)
                for p in people
                for purpose, digest in person_digests(
                    first_name=p.first_name,
                    last_name=p.last_name,
                    birth_date=p.birth_date,
                    phone=p.phone,
                )
                if purpose in wanted
            )
        last = people[-1].pk
        done.persons += len(people)
    if purposes is not None:
        return done
    last = 0
    while True:
        declarations = list(
            declaration_model.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "first_name", "last_name", "birth_date", "digest")[:batch_size]
        )
        if not declarations:
            break
        for declaration in declarations:
            digest = relation_digest(
                first_name=declaration.first_name,
                last_name=declaration.last_name,
                birth_date=declaration.birth_date,
            )
            if digest and digest != declaration.digest:
                declaration_model.objects.filter(pk=declaration.pk).update(digest=digest)
                done.declarations += 1
        last = declarations[-1].pk
    return done
