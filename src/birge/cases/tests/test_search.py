"""The case list's search finds what people type: a reference or its number alone, a
first name or a surname alone, within what the user may see; a refused query shows why
and no list."""

import importlib

import pytest
from django.apps import apps

from birge.cases.models import PersonIndex
from birge.cases.tests.factories import register_case

migration = importlib.import_module("birge.cases.migrations.0010_first_name_indexes")


@pytest.fixture
def leyla(officer, coordinator):
    """Agency A's case of Leyla Quliyeva; the perpetrator is Rəşad Həsənov."""
    return register_case(
        officer,
        victim={"first_name": "Leyla", "last_name": "Quliyeva"},
        perpetrator={"first_name": "Rəşad", "last_name": "Həsənov"},
    )


@pytest.fixture
def aysel(officer):
    return register_case(
        officer,
        victim={"first_name": "Aysel", "last_name": "Məmmədova"},
        perpetrator={"first_name": "Elvin", "last_name": "Babayev"},
    )


def _rows(client, q: str) -> str:
    html = client.get("/cases/", {"q": q}).content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


@pytest.mark.parametrize(
    "shape", ["{pk}", "{pk:06d}", "BRG-{year}-{pk:06d}", "brg-{year}-{pk:06d}"]
)
def test_a_reference_or_its_number_alone_finds_that_case(browse, colleague, leyla, aysel, shape):
    q = shape.format(pk=leyla.pk, year=leyla.opened_at.year)

    rows = _rows(browse(colleague), q)

    assert leyla.reference in rows
    assert aysel.reference not in rows


@pytest.mark.parametrize("q", ["Leyla", "leyla", "Лейла", "Quliyeva", "Гулиева"])
def test_a_first_name_or_a_surname_alone_finds_the_victims_case(browse, colleague, leyla, aysel, q):
    rows = _rows(browse(colleague), q)

    assert leyla.reference in rows
    assert aysel.reference not in rows


def test_the_perpetrators_first_name_finds_the_case_too(browse, colleague, leyla, aysel):
    rows = _rows(browse(colleague), "Rashad")

    assert leyla.reference in rows
    assert aysel.reference not in rows


def test_the_outsider_finds_nothing_by_number_or_name(browse, outsider, leyla):
    client = browse(outsider)

    for q in (str(leyla.pk), "Leyla", "Quliyeva", leyla.reference):
        assert leyla.reference not in _rows(client, q)


@pytest.mark.parametrize("q", ["L" * 101, "Leyla\x07"])
def test_a_refused_query_shows_why_and_no_list(browse, colleague, leyla, q):
    response = browse(colleague).get("/cases/", {"q": q})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-refused"' in page
    assert "The search was not run" in page
    assert 'class="errorlist' in page
    assert "<tbody>" not in page
    assert leyla.reference not in page


def test_a_query_of_100_characters_is_still_run(browse, colleague, leyla):
    page = browse(colleague).get("/cases/", {"q": "L" * 100}).content.decode()

    assert "<tbody>" in page
    assert "search-refused" not in page


def test_the_refusal_reads_in_azerbaijani(sign_in, colleague, leyla):
    from django.test import Client

    client = Client()
    client.cookies["birge_language"] = "az"
    page = sign_in(client, colleague).get("/cases/", {"q": "L" * 101}).content.decode()

    assert "The search was not run" not in page
    assert 'id="search-refused"' in page


# --- The API -------------------------------------------------------------------------


def _api_references(client, q: str) -> list[str]:
    response = client.get("/api/v1/cases/", {"q": q})
    assert response.status_code == 200
    return [row["reference"] for row in response.json()["results"]]


def test_the_api_finds_by_number_and_by_first_name(api, colleague, leyla, aysel):
    client = api(colleague)

    assert _api_references(client, str(leyla.pk)) == [leyla.reference]
    assert _api_references(client, "Leyla") == [leyla.reference]
    assert _api_references(client, "Məmmədova") == [aysel.reference]


def test_the_api_refuses_a_query_over_100_characters_with_a_field_message(api, colleague, leyla):
    response = api(colleague).get("/api/v1/cases/", {"q": "L" * 101})

    assert response.status_code == 400
    assert "q" in response.json()
    assert "results" not in response.json()


def test_the_api_outsider_finds_nothing_by_number_or_first_name(api, outsider, leyla):
    client = api(outsider)

    assert _api_references(client, str(leyla.pk)) == []
    assert _api_references(client, "Leyla") == []


# --- The data migration --------------------------------------------------------------


def test_the_migration_gives_existing_persons_their_first_name_index(
    browse, colleague, leyla, aysel
):
    PersonIndex.objects.filter(purpose="first_name").delete()
    assert leyla.reference not in _rows(browse(colleague), "Leyla")

    migration.first_name_indexes(apps, None)

    assert leyla.reference in _rows(browse(colleague), "Leyla")
    assert PersonIndex.objects.filter(purpose="first_name").count() == 4


def test_the_migration_runs_again_and_leaves_the_other_indexes_alone(leyla):
    others = set(PersonIndex.objects.exclude(purpose="first_name").values_list("pk", "digest"))

    migration.first_name_indexes(apps, None)
    migration.first_name_indexes(apps, None)

    assert PersonIndex.objects.filter(purpose="first_name").count() == 2
    assert set(PersonIndex.objects.exclude(purpose="first_name").values_list("pk", "digest")) == (
        others
    )


def test_the_schema_documents_the_search_and_its_refusal(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    listing = schema["paths"]["/api/v1/cases/"]["get"]
    parameters = {p["name"]: p for p in listing["parameters"]}
    assert {"q", "status", "scope", "before"} <= set(parameters)
    assert parameters["q"]["schema"]["maxLength"] == 100
    assert "400" in listing["responses"]
