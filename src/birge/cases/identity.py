"""Finding the same person across cases through keyed blind indexes, never plaintext."""

from collections import defaultdict
from datetime import date

from birge.cases.models import CasePerson, Person, PersonIndex
from birge.privacy.blind_index import blind_index, name_skeleton, phone_normalise

P = PersonIndex.Purpose


def name_digests(first_name: str, last_name: str) -> list[str]:
    """Digests for a search by first and last name, in either order."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    if not first or not last:
        return []
    return [blind_index(P.NAME, first, last), blind_index(P.NAME, last, first)]


def last_name_digest(last_name: str) -> str | None:
    skeleton = name_skeleton(last_name)
    return blind_index(P.LAST_NAME, skeleton) if skeleton else None


def person_digests(
    *, first_name: str, last_name: str, birth_date: date | None, phone: str
) -> list[tuple[str, str]]:
    """The (purpose, digest) pairs stored for a person."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    pairs = []
    if first and last:
        pairs.append((P.NAME, blind_index(P.NAME, first, last)))
        if birth_date:
            pairs.append(
                (P.NAME_BIRTH, blind_index(P.NAME_BIRTH, first, last, birth_date.isoformat()))
            )
        number = phone_normalise(phone) if phone else None
        if number:
            pairs.append((P.NAME_PHONE, blind_index(P.NAME_PHONE, first, last, number)))
    if last:
        pairs.append((P.LAST_NAME, blind_index(P.LAST_NAME, last)))
    return pairs


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


def identity_matches(*, person: Person, exclude_case_id: int | None = None) -> dict[int, set[str]]:
    """Other cases holding the same person (name with birth date, or name with phone):
    {case id: {parts she or he has there}}."""
    strong = PersonIndex.objects.filter(
        person=person, purpose__in=[P.NAME_BIRTH, P.NAME_PHONE]
    ).values_list("digest", flat=True)
    others = (
        PersonIndex.objects.filter(digest__in=list(strong))
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )
    parts = CasePerson.objects.filter(person_id__in=list(others))
    if exclude_case_id is not None:
        parts = parts.exclude(case_id=exclude_case_id)
    found: dict[int, set[str]] = defaultdict(set)
    for case_id, part in parts.values_list("case_id", "part"):
        found[case_id].add(part)
    return dict(found)
