"""Names, phones, addresses, dates of birth, places and narratives are encrypted in the
database: a raw dump shows none of them, and `birge keys rotate` moves them to a new key."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from birge.cases.tests.conftest import KEY_1, KEY_2
from birge.cases.tests.factories import registration_form

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
        assert all(v.startswith("v1.k1.") for v in _raw_values(table))
    settings.BIRGE_ENCRYPTION_KEYS = [KEY_2, KEY_1]

    call_command("keys", "rotate", stdout=StringIO())

    for table in TABLES:
        values = _raw_values(table)
        assert values
        assert all(v.startswith("v1.k2.") for v in values), table
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
