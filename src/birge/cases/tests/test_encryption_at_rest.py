"""Names, phones, addresses, dates of birth, places and narratives are encrypted in the
database, each bound to its row: a raw dump shows none of them, a value copied into
another row does not read, `birge keys rotate` moves them to a new key, and an older
database's column-bound values are bound to their rows by `birge migrate`."""

from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from birge.cases.models import CasePerson, Person
from birge.cases.tests.conftest import KEY_1, KEY_2
from birge.cases.tests.factories import registration_form
from birge.privacy.fields import EncryptedFieldMixin
from birge.privacy.keys import DecryptionError
from birge.privacy.rotation import encrypted_fields
from birge.privacy.tests.conftest import column_bound_token

TYPED = {
    "victim first name": "Xədicə",
    "victim last name": "Zeynalova",
    "victim patronymic": "Əli qızı",
    "perpetrator first name": "Vüqar",
    "perpetrator last name": "Zeynalov",
    "phone": "+994 50 765 43 21",
    "phone digits": "507654321",
    "address": "Füzuli küçəsi 48, mənzil 9",
    "shelter": "Sığınacaq Xətai-2",
    "birth date": "1988-11-23",
    "place": "Xətai rayonu, bağ evi",
    "narrative": "He locked her in the cellar for two days.",
    "child": "Nurlan",
    "relation": "Səadət",
}
TABLES = ["cases_person", "cases_incident", "cases_caseperson", "cases_conflictdeclaration"]
ENCRYPTED_COLUMNS = {
    "cases_person": ["first_name", "last_name", "patronymic", "birth_date", "phone", "address"],
    "cases_incident": ["place", "narrative"],
    "cases_caseperson": ["shelter_location"],
    "cases_conflictdeclaration": ["label"],
}


@pytest.fixture
def registered(browse, officer, coordinator):
    client = browse(officer)
    form = registration_form(
        victim={
            "first_name": TYPED["victim first name"],
            "last_name": TYPED["victim last name"],
            "patronymic": TYPED["victim patronymic"],
            "birth_date": TYPED["birth date"],
            "phone": TYPED["phone"],
            "address": TYPED["address"],
            "shelter_location": TYPED["shelter"],
        },
        perpetrator={
            "first_name": TYPED["perpetrator first name"],
            "last_name": TYPED["perpetrator last name"],
        },
        children=[{"first_name": TYPED["child"], "approximate_age": "4"}],
        incident={"place": TYPED["place"], "narrative": TYPED["narrative"]},
    )
    response = client.post("/cases/new/", form)
    assert response.status_code == 302
    relation = {"first_name": TYPED["relation"], "last_name": "Məlikova"}
    assert client.post("/cases/relations/", relation).status_code == 302
    return response["Location"]


def _dump(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return "\n".join(" | ".join(str(value) for value in row) for row in cursor.fetchall())


def _raw_values(table: str) -> list[str]:
    columns = ENCRYPTED_COLUMNS[table]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
        return [value for row in cursor.fetchall() for value in row if value]


@pytest.mark.parametrize("table", TABLES)
def test_a_raw_dump_shows_no_personal_data(registered, table):
    dump = _dump(table)

    assert dump  # rows were written
    for what, value in TYPED.items():
        assert value not in dump, f"{what} in plaintext in {table}"
        assert value.lower() not in dump.lower(), f"{what} in plaintext in {table}"


def test_the_audit_log_and_notifications_hold_no_personal_data(registered):
    dump = _dump("audit_auditevent") + _dump("notifications_notification")

    for what, value in TYPED.items():
        assert value not in dump, f"{what} in the audit log or notifications"


def test_the_page_shows_the_decrypted_values(browse, coordinator, registered):
    page = browse(coordinator).get(registered).content.decode()

    for what in ("victim first name", "victim last name", "address", "shelter", "narrative"):
        assert TYPED[what] in page


def test_rotating_the_keys_re_encrypts_every_value(browse, coordinator, registered, settings):
    for table in TABLES:
        assert all(v.startswith("v2.k1.") for v in _raw_values(table))
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_2, KEY_1]

    call_command("keys", "rotate", stdout=StringIO())

    for table in TABLES:
        values = _raw_values(table)
        assert values
        assert all(v.startswith("v2.k2.") for v in values), table
    # The old key can go: everything reads with the new one alone.
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_2]
    page = browse(coordinator).get(registered).content.decode()
    assert TYPED["victim last name"] in page
    assert TYPED["narrative"] in page
    assert TYPED["address"] in page
    relations = browse(coordinator).get("/cases/relations/").content.decode()
    assert TYPED["relation"] not in relations  # hers, not the coordinator's


def test_the_declaring_user_still_reads_her_declaration_after_rotation(
    browse, officer, registered, settings
):
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_2, KEY_1]
    call_command("keys", "rotate", stdout=StringIO())
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_2]

    assert TYPED["relation"] in browse(officer).get("/cases/relations/").content.decode()


def _person(registered, part: str) -> Person:
    return CasePerson.objects.get(case_id=registered.rstrip("/").split("/")[-1], part=part).person


def test_a_name_copied_into_another_persons_row_does_not_read(registered):
    victim, perpetrator = _person(registered, "victim"), _person(registered, "perpetrator")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET first_name = "
            "(SELECT first_name FROM cases_person WHERE id = %s) WHERE id = %s",
            [victim.pk, perpetrator.pk],
        )

    with pytest.raises(DecryptionError, match=r"cases\.person\.first_name of row"):
        _ = Person.objects.get(pk=perpetrator.pk).first_name
    assert Person.objects.get(pk=victim.pk).first_name == TYPED["victim first name"]


def _make_column_bound(historical_apps=None) -> int:
    """Turn every stored value into the v1 token an older Birge wrote for it (only in the
    fields that Birge encrypted then, with `historical_apps`)."""
    count = 0
    with connection.cursor() as cursor:
        for model, fields in encrypted_fields():
            if historical_apps is not None:
                fields = [f for f in fields if _encrypted_then(historical_apps, model, f)]
            for row in model._base_manager.all():
                for field in fields:
                    value = getattr(row, field.attname)
                    if value in (None, ""):
                        continue
                    token = column_bound_token(
                        field._to_text(value), context=field.encryption_context, entry=KEY_1
                    )
                    cursor.execute(
                        f'UPDATE "{model._meta.db_table}" SET "{field.column}" = %s '  # noqa: S608
                        "WHERE id = %s",
                        [token, row.pk],
                    )
                    count += 1
    return count


def _encrypted_then(historical_apps, model, field) -> bool:
    try:
        old = historical_apps.get_model(model._meta.label)._meta.get_field(field.name)
    except (LookupError, FieldDoesNotExist):  # the model or the field came later
        return False
    return isinstance(old, EncryptedFieldMixin)


@pytest.fixture(scope="module")
def historical_apps(django_db_setup, django_db_blocker):
    """The models as they were just before the privacy migration."""
    with django_db_blocker.unblock():
        loader = MigrationLoader(connection)
        return loader.project_state(("privacy", "0001_bind_tokens_to_rows"), at_end=False).apps


def _migrate_privacy(historical_apps) -> None:
    migration = import_module("birge.privacy.migrations.0001_bind_tokens_to_rows")
    migration.bind_to_rows(historical_apps, SimpleNamespace(connection=connection))


def test_an_older_database_reads_again_after_migrate(
    browse, coordinator, registered, historical_apps
):
    converted = _make_column_bound(historical_apps)
    status = StringIO()
    call_command("keys", "status", stdout=status)
    assert f"Column-bound (v1) values left: {converted} " in status.getvalue()
    with pytest.raises(DecryptionError, match="column-bound"):
        _ = _person(registered, "victim").first_name

    _migrate_privacy(historical_apps)

    page = browse(coordinator).get(registered).content.decode()
    for what in ("victim first name", "victim last name", "address", "shelter", "narrative"):
        assert TYPED[what] in page
    status = StringIO()
    call_command("keys", "status", stdout=status)
    assert "Column-bound (v1) values left: 0." in status.getvalue()
    for table in TABLES:
        assert all(v.startswith("v2.k1.") for v in _raw_values(table))


def test_keys_rotate_binds_column_bound_values_too(browse, coordinator, registered):
    _make_column_bound()

    call_command("keys", "rotate", stdout=StringIO())

    assert TYPED["narrative"] in browse(coordinator).get(registered).content.decode()


def test_the_migration_stops_on_values_no_configured_key_reads(registered, historical_apps):
    victim = _person(registered, "victim")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET phone = 'v1.k9.AAAA' WHERE id = %s", [victim.pk])

    with pytest.raises(Exception, match="1 encrypted values did not decrypt"):
        _migrate_privacy(historical_apps)
