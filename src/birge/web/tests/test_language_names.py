"""Every language is listed under its own name, whatever the page's language, so that a
reader who cannot read the current one still finds hers."""

import re

import pytest
from django.conf import settings
from django.test import Client

from birge.web.languages import NATIVE_NAMES


def _menu(language: str) -> list[str]:
    client = Client()
    client.cookies["birge_language"] = language
    page = client.get("/accounts/login/").content.decode()
    menu = page[page.index('id="language-select"') :]
    menu = menu[: menu.index("</select>")]
    return re.findall(r"<option [^>]*>([^<]*)</option>", menu)


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_language_menu_names_each_language_in_itself(db, language):
    assert _menu(language) == ["Azərbaycanca", "Русский", "English"]


def test_the_settings_list_the_same_names(db):
    assert dict(settings.LANGUAGES) == NATIVE_NAMES
