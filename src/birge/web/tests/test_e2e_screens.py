"""Each role's home page shows the work that waits, and the screens people see, saved.

Every demo role signs in and finds on its home page ("My work") the kind of work its
role brings: the shelter its referrals to answer, the chair the conference queue, the
auditor the emergency accesses to review, the coordinator her reassessments. The home
pages of three roles are saved in Azerbaijani, Russian and English, and the main screens
on a 390-px phone, under docs/screenshots/ (the README shows some of them).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from birge.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
LANGUAGES = ("az", "ru", "en")
MY_WORK = {"az": "Mənim işim", "ru": "Мои задачи", "en": "My work"}

# The section each role finds with something in it on the demo's home page.
WAITING = {
    "officer": "shared",
    "coordinator": "reassessments",
    "shelter": "referrals",
    "chair": "queue",
    "auditor": "emergency_reviews",
    "police.lead": "shared",
}


def _browser_for(browser, base_url: str, username: str, language: str, width: int = 1280):
    """Signed in, reading `language` through the language cookie (the account's saved
    language, which other tests rely on, is left alone)."""
    height = 844 if width < 500 else 900
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base_url + "/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(base_url) + r"/(\?.*)?$"))
    context.add_cookies([{"name": "birge_language", "value": language, "url": base_url}])
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


def _save(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("username", list(WAITING))
def test_each_role_finds_its_waiting_work_on_the_home_page(demo_server, browser, username):
    context, page = _browser_for(browser, demo_server, username, "en")
    try:
        expect(page.locator("main h1")).to_have_text("My work")
        section = page.locator(f"section.work-section:has(#work-{WAITING[username]})")
        expect(section).to_have_count(1)
        items = section.locator(".work-items li a")
        expect(items.first).to_be_visible()
        # Each item leads to where the work is done, and that page opens.
        href = items.first.get_attribute("href")
        assert href and href.startswith("/")
        assert page.goto(demo_server + href).status == 200
    finally:
        context.close()


def test_the_analyst_finds_the_figures_on_the_home_page(demo_server, browser):
    context, page = _browser_for(browser, demo_server, "analyst", "en")
    try:
        figures = page.locator("section:has(#figures-heading)")
        expect(figures.get_by_role("link")).not_to_have_count(0)
        figures.get_by_role("link").first.click()
        expect(page.locator("main h1")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_pages_of_three_roles_are_saved_in_each_language(demo_server, browser, language):
    for username in ("officer", "shelter", "chair"):
        context, page = _browser_for(browser, demo_server, username, language)
        try:
            expect(page.locator("main h1")).to_have_text(MY_WORK[language])
            _save(page, f"home-{username.replace('.', '-')}-{language}")
        finally:
            context.close()


def test_the_main_screens_on_a_phone_are_saved(demo_server, browser):
    context, page = _browser_for(browser, demo_server, "coordinator", "az", width=390)
    try:
        _save(page, "phone-home-az")
        page.goto(demo_server + "/cases/")
        _save(page, "phone-cases-az")
        # Nothing on the case list is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        case = page.locator("main a[href^='/cases/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
            ".find(h => /^\\/cases\\/\\d+\\/$/.test(h))"
        )
        page.goto(demo_server + case)
        _save(page, "phone-case-az")
        page.goto(demo_server + "/cases/new/")
        _save(page, "phone-register-az")
        page.goto(demo_server + "/referrals/")
        _save(page, "phone-referrals-az")
    finally:
        context.close()
    context, page = _browser_for(browser, demo_server, "chair", "az", width=390)
    try:
        page.goto(demo_server + "/conferences/")
        page.locator("main a[href*='/conferences/series/']").first.click()
        _save(page, "phone-conference-az")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
