"""A layout that works on a phone (issue 14): the header's menu works without a script,
every list table names each cell's column (data-label) so that its rows stack on a narrow
screen, and the footer links the API documentation in the reader's language."""

import re

import pytest
from django.test import Client

from birge.agencies.models import Service, ServiceKind
from birge.cases.tests.conftest import browse, case, coordinator  # noqa: F401 - the cast


def _cells(html: str, table_class: str = "stack") -> list[str]:
    """The opening tags of the body cells of the page's stacking tables."""
    tables = re.findall(rf'<table class="{table_class}.*?</table>', html, re.S)
    assert tables, "no stacking table on the page"
    return [
        cell
        for table in tables
        for body in re.findall(r"<tbody>(.*?)</tbody>", table, re.S)
        for cell in re.findall(r"<td\b[^>]*>", body)
        if "colspan" not in cell
    ]


def _labels(html: str) -> set[str]:
    cells = _cells(html)
    assert cells, "the table has no rows"
    unlabelled = [cell for cell in cells if "data-label=" not in cell]
    assert not unlabelled, unlabelled
    return {re.search(r'data-label="([^"]*)"', cell).group(1) for cell in cells}


def test_the_case_list_names_every_cell_with_its_column(browse, officer, case):  # noqa: F811
    html = browse(officer).get("/cases/").content.decode()

    assert _labels(html) == {
        "Case number",
        "Victim",
        "Status",
        "Risk level",
        "Region",
        "Opened",
        "Coordinator",
    }


def test_the_people_pages_name_every_cell(browse, admin):  # noqa: F811
    html = browse(admin).get("/admin/users/").content.decode()
    assert {"Username", "Name", "Agency", "Roles", "Status"} <= _labels(html)


def test_the_services_page_names_every_cell_free_places_included(browse, officer, police):  # noqa: F811
    Service.objects.create(
        agency=police,
        kind=ServiceKind.SHELTER,
        name_en="Shelter",
        name_az="S",
        name_ru="S",
        capacity=3,
    )
    html = browse(officer).get("/admin/services/").content.decode()
    assert "Free places" in _labels(html)


def test_the_header_menu_is_a_details_element_with_navigation_language_and_sign_out(
    browse,  # noqa: F811 - the cast
    officer,
):
    html = browse(officer).get("/").content.decode()
    menu = html[html.index('<details class="site-menu">') : html.index("</details>")]
    assert "<summary" in menu and "Menu" in menu
    assert 'class="main-nav"' in menu
    assert 'id="language-select"' in menu
    assert 'action="/account/logout/"' in menu
    assert "<script" not in menu


def test_signed_out_the_header_keeps_the_language_and_has_no_menu(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/account/login/").content.decode()
    assert 'id="language-select"' in html
    assert "site-menu" not in html


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_footer_links_the_api_documentation_in_the_readers_language(db, language):
    client = Client()
    client.cookies["birge_language"] = language
    html = client.get("/account/login/").content.decode()
    assert f'href="/api/v1/docs/?lang={language}"' in html

    docs = client.get(f"/api/v1/docs/?lang={language}")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert f'<html lang="{language}">' in page
    assert "lang=" + language in re.search(r'<script src="(/api/v1/docs/[^"]*)"', page).group(1)


def test_the_api_documentation_page_is_titled_in_russian_for_a_russian_reader(db):
    client = Client()
    client.cookies["birge_language"] = "ru"
    page = client.get("/api/v1/docs/?lang=ru").content.decode()
    assert "<title>Документация API Birge</title>" in page
    assert "Вернуться в Birge" in page
