"""When the name skeleton changes, every stored digest is rebuilt from the decrypted
names: `birge identity rebuild`, and the data migration that ships with a change."""

import importlib
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.cases import services
from birge.cases.identity import identity_matches, person_digests, relation_digest
from birge.cases.models import CasePerson, ConflictDeclaration, Part, Person, PersonIndex
from birge.cases.tests.factories import register_case

BIRTH = date(1990, 5, 1)
migration = importlib.import_module("birge.cases.migrations.0007_rebuild_identity_digests")


@pytest.fixture
def first(officer):
    return register_case(
        officer, victim={"first_name": "Gülnarə", "last_name": "Əliyeva", "birth_date": BIRTH}
    )


def _victim(case) -> Person:
    return CasePerson.objects.get(case=case, part=Part.VICTIM).person


def _stored(person) -> set[tuple[str, str]]:
    return set(PersonIndex.objects.filter(person=person).values_list("purpose", "digest"))


def _expected(person) -> set[tuple[str, str]]:
    return {
        (str(purpose), digest)
        for purpose, digest in person_digests(
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            phone=person.phone,
        )
    }


def _age_the_digests():
    """Digests as an older skeleton left them: none of them meets a new one."""
    for index in PersonIndex.objects.all():
        PersonIndex.objects.filter(pk=index.pk).update(digest=f"{index.pk:064x}")


def test_the_rebuild_brings_stale_digests_back_to_the_current_skeleton(officer, outsider, first):
    second = register_case(
        outsider, victim={"first_name": "Gyulnara", "last_name": "Aliyeva", "birth_date": BIRTH}
    )
    _age_the_digests()
    assert identity_matches(person=_victim(second), exclude_case_id=second.pk) == {}
    out = StringIO()

    call_command("identity", "rebuild", "--batch-size", "3", stdout=out)

    assert identity_matches(person=_victim(second), exclude_case_id=second.pk) == {
        first.pk: {"victim"}
    }
    for person in Person.objects.all():
        assert _stored(person) == _expected(person)
    assert f"{Person.objects.count()} persons indexed again" in out.getvalue()


def test_the_rebuild_stores_the_surname_stem_of_people_registered_before_it(first):
    PersonIndex.objects.filter(purpose=PersonIndex.Purpose.STEM_BIRTH).delete()

    call_command("identity", "rebuild", stdout=StringIO())

    assert PersonIndex.objects.filter(
        person=_victim(first), purpose=PersonIndex.Purpose.STEM_BIRTH
    ).exists()


def test_an_anonymised_person_gets_no_index_back(first):
    person = _victim(first)
    Person.objects.filter(pk=person.pk).update(
        first_name="", last_name="", anonymised_at=timezone.now()
    )
    PersonIndex.objects.filter(person=person).delete()

    call_command("identity", "rebuild", stdout=StringIO())

    assert not PersonIndex.objects.filter(person=person).exists()


def test_running_it_twice_changes_nothing_more(first):
    call_command("identity", "rebuild", stdout=StringIO())
    before = set(PersonIndex.objects.values_list("person_id", "purpose", "digest"))

    call_command("identity", "rebuild", stdout=StringIO())

    assert set(PersonIndex.objects.values_list("person_id", "purpose", "digest")) == before


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(CommandError):
        call_command("identity", "rebuild", "--batch-size", "0")


def test_a_declared_relation_still_hides_her_case_after_a_rebuild(colleague, first):
    services.conflict_declare(
        user=colleague, first_name="Gyulnara", last_name="Aliyeva", birth_date=BIRTH
    )
    assert not cases_visible_to(colleague).filter(pk=first.pk).exists()
    ConflictDeclaration.objects.update(digest="0" * 64)
    _age_the_digests()
    assert cases_visible_to(colleague).filter(pk=first.pk).exists()

    call_command("identity", "rebuild", stdout=StringIO())

    assert not cases_visible_to(colleague).filter(pk=first.pk).exists()


def test_a_declaration_keeps_the_names_it_was_made_with(colleague):
    declaration = services.conflict_declare(
        user=colleague, first_name=" Məmməd Əli ", last_name="Həsənov", birth_date=None
    )

    declaration.refresh_from_db()
    assert (declaration.first_name, declaration.last_name, declaration.birth_date) == (
        "Məmməd Əli",
        "Həsənov",
        None,
    )
    assert declaration.label == "Məmməd Əli Həsənov"


# --- The data migration of this skeleton change ----------------------------------------


def test_the_frozen_skeleton_is_the_one_before_softening():
    assert migration._old_skeleton("Gyulnara") == "xiulnara"
    assert migration._old_skeleton("Aliyeva") == "aliava"
    assert migration._old_skeleton("Məmmədova") == "mamadova"


def _old_declaration_digest(first: str, last: str, born: date | None) -> str:
    return migration._old_digest(
        migration._old_skeleton(first), migration._old_skeleton(last), born
    )


@pytest.mark.parametrize(
    ("label", "first", "last", "born"),
    [
        ("Aysel Əliyeva", "Aysel", "Əliyeva", None),
        ("Aysel Əliyeva (1990-05-01)", "Aysel", "Əliyeva", BIRTH),
        ("Məmməd Əli Həsənov (1985-02-03)", "Məmməd Əli", "Həsənov", date(1985, 2, 3)),
        ("Aysel Əliyeva Quliyeva", "Aysel", "Əliyeva Quliyeva", None),
    ],
)
def test_a_declarations_names_come_back_from_its_label_split_where_its_digest_says(
    settings, label, first, last, born
):
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64
    digest = _old_declaration_digest(first, last, born)

    assert migration.names_from_label(label, digest) == (first, last, born)


def test_an_ambiguous_label_that_no_digest_explains_splits_before_its_last_word():
    assert migration.names_from_label("Aysel Nur Əliyeva", "0" * 64) == (
        "Aysel Nur",
        "Əliyeva",
        None,
    )


def test_the_migration_gives_old_declarations_their_names_and_a_new_digest(settings, colleague):
    settings.BIRGE_BLIND_INDEX_KEY = "b" * 64
    old = ConflictDeclaration.objects.create(
        user=colleague,
        label="Məmməd Əli Quliyev (1985-02-03)",
        digest=_old_declaration_digest("Məmməd Əli", "Quliyev", date(1985, 2, 3)),
    )

    migration.declared_names(apps, None)
    migration.rebuild(apps, None)

    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.birth_date) == (
        "Məmməd Əli",
        "Quliyev",
        date(1985, 2, 3),
    )
    assert old.digest == relation_digest(
        first_name="Məmməd Əli", last_name="Quliyev", birth_date=date(1985, 2, 3)
    )
