"""The statistics page, its exports, the API and the open data: who sees what, what is
hidden, what a spreadsheet gets, and what a cache may keep."""

import csv
import io
import re
import zipfile

import pytest
from django.test import Client

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.audit.models import AuditEvent

ROUTES = ["/reports/", "/reports/export.csv", "/reports/export.xlsx", "/api/v1/statistics/"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["officer", "outsider", "auditor"])
def test_everyone_but_analysts_and_agency_leads_gets_a_404(facts, browse, api, who, route, request):
    user = request.getfixturevalue(who)
    client = api(user) if route.startswith("/api/") else browse(user)
    assert client.get(route).status_code == 404


def test_the_analyst_sees_the_national_tables_with_charts(facts, browse, analyst):
    response = browse(analyst).get("/reports/?period=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="chart"') == 18
    assert "Victims by age" in html and "Region 0" in html
    assert "Protection orders (cases with one)" in html
    assert "Proceedings: the latest one&#x27;s stage or outcome" in html
    assert 'class="stack"' in html
    # The year's total: the sum of the four quarters, every one of them shown.
    assert re.search(r'data-category="total"><th scope="row">Total</th><td[^>]*>1,?200<', html)


def test_the_page_filters_by_quarter_and_region_and_ignores_a_bad_one(
    facts, browse, analyst, regions
):
    client = browse(analyst)
    assert client.get(f"/reports/?period=2025-Q2&region={regions[0].pk}").status_code == 200
    assert client.get("/reports/?period=nonsense&region=x").status_code == 200


def test_an_agency_lead_sees_only_the_cases_her_agency_opened(facts, api, lead):
    data = api(lead).get("/api/v1/statistics/?period=2025").json()
    status = next(t for t in data["tables"] if t["code"] == "status")
    # 40 cases over 4 quarters and 5 regions: too few to show anything but, at most, a total.
    assert status["total"]["value"] in (None, 40)
    shown = [row["cases"]["value"] for row in status["rows"] if not row["cases"]["suppressed"]]
    assert all(value >= 10 for value in shown)


def test_the_api_gives_the_same_slices_and_refuses_a_bad_period(facts, api, analyst):
    client = api(analyst)
    data = client.get("/api/v1/statistics/?period=2025-Q3").json()
    assert data["period"] == "2025-Q3"
    assert data["min_cell"] == 10
    assert {t["code"] for t in data["tables"]} >= {
        "victim_sex",
        "forms",
        "days_to_referral",
        "orders",
        "proceeding",
        "programme",
    }
    for table in data["tables"]:
        for row in table["rows"]:
            assert row["cases"]["suppressed"] == (row["cases"]["value"] is None)
            assert row["cases"]["value"] is None or row["cases"]["value"] >= 10
    bad = client.get("/api/v1/statistics/?period=2025-Q7")
    assert bad.status_code == 400
    assert "period" in bad.content.decode()


def test_the_schema_describes_the_statistics(api, analyst):
    schema = api(analyst).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/statistics/" in schema


def test_the_csv_export_has_the_header_the_mark_and_no_formula(facts, browse, analyst, regions):
    regions[1].name_en = '=HYPERLINK("http://x","y")'
    regions[1].save()
    response = browse(analyst).get("/reports/export.csv?period=2025-Q1")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode("utf-8-sig")
    assert "Suppression" in text or "suppress" in text.lower()
    assert "2025, quarter 1" in text
    assert "Protection orders (cases with one)" in text
    assert "Proceedings: the latest one's stage or outcome" in text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "x" in cells  # a hidden figure: the mark, never the value
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    event = AuditEvent.objects.get(action="figures.exported")
    assert event.data["format"] == "csv" and event.data["period"] == "2025-Q1"


def test_the_xlsx_export_has_no_live_formula(facts, browse, analyst, regions):
    regions[2].name_en = "=1+2"
    regions[2].save()
    response = browse(analyst).get("/reports/export.xlsx?period=2025")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        xml = "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
    assert "<f>" not in xml and "<f " not in xml
    assert "'=1+2" in xml


# --- The open data ------------------------------------------------------------------------


def test_the_open_data_is_public_cacheable_and_sets_no_cookie(facts):
    client = Client()
    for language in ("az", "ru", "en"):
        response = client.get(f"/open-data/{language}/")
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
        assert "no-store" not in response["Cache-Control"]
        assert "private" not in response["Cache-Control"]
        assert response["Content-Language"] == language
        assert not response.cookies
        assert f'lang="{language}"' in response.content.decode()
    assert client.get("/open-data/de/").status_code == 404


def test_the_open_data_speaks_the_language_of_its_path(facts):
    assert "Region" in Client().get("/open-data/en/").content.decode()
    assert "Регион" in Client().get("/open-data/ru/").content.decode()


def test_the_open_data_csv_has_no_small_cell(facts):
    response = Client().get("/open-data/en/totals.csv")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    numbers = [cell for row in rows for cell in row[1:] if cell.isdigit()]
    assert numbers, rows
    assert all(int(cell) >= 10 for cell in numbers)
    assert any(row and row[0] == "The whole country" and "1200" in row for row in rows)


def test_the_home_page_leads_the_analyst_to_the_statistics(browse, analyst):
    assert 'href="/reports/"' in browse(analyst).get("/").content.decode()


def test_an_agency_in_no_case_sees_no_figure_of_other_agencies(facts, browse, db):
    other = AgencyFactory(code="ngo-x", kind="shelter_ngo")
    lead = UserFactory(username="ngo_lead", agency=other, roles=["agency_lead"])
    html = browse(lead).get("/reports/?period=2025").content.decode()
    assert ">1,200<" not in html and ">1200<" not in html


def test_before_the_first_refresh_the_page_and_api_answer_with_nothing_counted(
    browse, api, analyst
):
    response = browse(analyst).get("/reports/")
    assert response.status_code == 200
    assert "The figures have not been counted yet." in response.content.decode()
    data = api(analyst).get("/api/v1/statistics/").json()
    assert data["as_of"] is None and data["periods"] == []
    assert Client().get("/open-data/az/").status_code == 200
