"""Accessibility in a real browser: axe-core on every main page, in Azerbaijani.

Each role of the demo signs in and opens the pages of its daily work; axe-core (pinned in
package.json, installed by `make e2e` with `npm ci`) is injected by Playwright and run on
each page. A serious or critical violation fails the test, listed with the page and the
elements it found. Then a keyboard-only walk: the sign-in form and the risk checklist are
filled with the keyboard alone.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from birge.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# The main pages of each role's work; `{case}` is a case the role may open, found on its
# case list.
PAGES: dict[str, list[str]] = {
    "officer": [
        "/",
        "/cases/",
        "/cases/new/",
        "{case}",
        "{case}incidents/new/",
        "{case}risk/new/",
        "/notifications/",
    ],
    "coordinator": [
        "/",
        "/referrals/",
        "/risk/reassessments/",
        "{case}",
        "{case}risk/",
        "{case}safety/",
        "/conferences/actions/",
    ],
    "chair": ["/", "/conferences/"],
    "analyst": ["/", "/risk/validation/", "/referrals/compliance/"],
    "auditor": ["/", "/audit/", "/cases/emergency/review/"],
    "admin": ["/", "/admin/users/", "/admin/protocol/", "/admin/services/"],
}


def _axe(page) -> list[dict]:
    # The page's CSP refuses inline scripts; the test context bypasses it for axe alone.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def _sign_in(page, base_url: str, username: str, language: str = "az") -> None:
    """Sign in, then read in `language` through the language cookie alone: the account's
    saved language, which other tests rely on, stays as it was."""
    page.goto(base_url + "/account/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(base_url) + r"/(\?.*)?$"))
    page.context.add_cookies([{"name": "birge_language", "value": language, "url": base_url}])
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _first_case(page, base_url: str) -> str:
    page.goto(base_url + "/cases/")
    href = page.locator("main a[href^='/cases/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).find(h => /^\\/cases\\/\\d+\\/$/.test(h))"
    )
    assert href, "the role sees no case on its list"
    return href


@pytest.mark.parametrize("username", list(PAGES))
def test_every_main_page_has_no_serious_accessibility_violation(demo_server, browser, username):
    assert AXE.exists(), f"{AXE} is missing: `make e2e` installs it with npm ci."
    context = browser.new_context(
        locale="az-AZ", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, demo_server, username)
        case = _first_case(page, demo_server) if any("{case}" in p for p in PAGES[username]) else ""
        found = {}
        for path in PAGES[username]:
            url = demo_server + path.replace("{case}", case)
            response = page.goto(url)
            assert response is not None and response.status == 200, f"{path}: {response}"
            violations = _axe(page)
            if violations:
                found[path] = [
                    {
                        "rule": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "where": [n["target"] for n in v["nodes"][:3]],
                    }
                    for v in violations
                ]
        assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    finally:
        context.close()


def test_sign_in_and_the_risk_checklist_work_with_the_keyboard_alone(demo_server, browser):
    context = browser.new_context(
        locale="az-AZ", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(demo_server + "/account/login/")
        page.locator("#id_username").focus()
        page.keyboard.type("officer")
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(demo_server) + r"/(\?.*)?$"))
        case = _first_case(page, demo_server)
        page.goto(demo_server + case + "risk/new/")
        # Where several instruments are offered, the first is chosen with Tab and Enter.
        if not page.locator("main form input[type=radio]").count():
            for _ in range(100):
                page.keyboard.press("Tab")
                if page.evaluate(
                    "() => (document.activeElement.getAttribute('href') || '')"
                    ".includes('instrument=')"
                ):
                    break
            else:
                pytest.fail("no instrument can be chosen with Tab")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        assert _axe(page) == [], "the risk checklist has serious accessibility violations"
        groups = page.locator("main form input[type=radio]").evaluate_all(
            "rs => [...new Set(rs.map(r => r.name))]"
        )
        assert groups, "the checklist has no questions"
        # Tab through the page from the top; on each question (a radio group) Space
        # chooses the first answer; stop at the form's submit button.
        answered = set()
        for _ in range(20 * len(groups) + 100):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => { const e = document.activeElement;"
                " return e ? {type: e.type || '', name: e.name || '',"
                " inForm: e.closest('main form') !== null} : null; }"
            )
            if not focused or not focused["inForm"]:
                continue
            if focused["type"] == "radio" and focused["name"] not in answered:
                page.keyboard.press("Space")
                answered.add(focused["name"])
            elif focused["type"] == "submit" and answered:
                break
        else:
            pytest.fail("the checklist's submit button cannot be reached with Tab")
        assert answered == set(groups), f"not reached by Tab: {set(groups) - answered}"
        page.keyboard.press("Enter")
        # The answers are saved: the assessment opens with its level.
        page.wait_for_url(re.compile(re.escape(demo_server + case) + r"risk/\d+/$"))
    finally:
        context.close()


def _tab_to(page, condition: str, limit: int = 150) -> None:
    """Press Tab until the focused element meets `condition` (a JS expression over `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"() => {{ const e = document.activeElement; return !!e && ({condition}); }}"
        ):
            return
    pytest.fail(f"nothing matching {condition!r} can be reached with Tab")


def test_a_case_is_registered_with_the_keyboard_alone(demo_server, browser):
    context = browser.new_context(locale="az-AZ", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, demo_server, "officer")
        page.goto(demo_server + "/cases/new/")
        # Step 1, the victim: her names, then Enter sends the step.
        _tab_to(page, "e.id === 'id_victim-first_name'")
        page.keyboard.type("Günay")
        _tab_to(page, "e.id === 'id_victim-last_name'")
        page.keyboard.type("Rüstəmova")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # Step 2, what happened: a form of violence chosen with Space, then Continue.
        _tab_to(page, "e.name === 'incident-forms'")
        page.keyboard.press("Space")
        _tab_to(page, "e.type === 'submit' && e.value === 'next'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # Steps 3 and 4 (people, consent) left as they are; then the check page.
        for _ in range(2):
            _tab_to(page, "e.type === 'submit' && e.value === 'next'")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        _tab_to(page, "e.type === 'submit' && e.closest('main form') !== null")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator("main h1")).to_contain_text("BRG-")
    finally:
        context.close()
