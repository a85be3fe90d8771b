"""The golden paths in a real browser: sign in, switch language, sign out; register a
case, share it with a shelter under the victim's consent, and see that an outsider
cannot reach it; assess the risk with the Birge checklist, see the level and why, make
a safety plan and download its PDF in Azerbaijani; refer a high-risk victim to the
shelter, which accepts, and see it counted; open the co-operation protocol's PDF in
all three languages; build a risk conference's agenda from its queue, add a member
agency's research, and download the last meeting's minutes.

The app runs as `make demo` runs it, in its own process with its own SQLite database
under a temporary directory, not in pytest-django's live_server: the audit table's
append-only triggers refuse live_server's flush, and Playwright's event loop would
clash with the ORM in this process. Chromium is Debian's (`make e2e` installs it);
no browser is ever downloaded.
"""

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import expect

from birge.demo.data import AGENCIES, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/birge-home.png")  # noqa: S108 - a fixed place to look at afterwards
# The officer's agency in Azerbaijani, Russian and English, as the demo data gives it.
_NAMES = next(names for code, _kind, _region, names in AGENCIES if code == "police-baku")
POLICE_BAKU = dict(zip(("az", "ru", "en"), _NAMES, strict=True))
SHELTER_EN = next(names[2] for code, _kind, _region, names in AGENCIES if code == "shelter-baku")


def _collect_console_errors(page, errors: list[str]) -> None:
    def collect(message) -> None:
        url = message.location.get("url", "")
        # Birge has no favicon yet; the browser's own request for one is not the page's fault.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"{message.text} [{url}]")

    page.on("console", collect)


def _sign_in(page, base_url: str, username: str = "officer") -> None:
    page.goto(base_url + "/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/")


def _switch_language(page, language: str) -> None:
    page.locator("#language-select").select_option(language)
    page.locator(".language-switch button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_an_officer_signs_in_switches_language_and_signs_out(demo_server, browser, page):
    console_errors = []
    _collect_console_errors(page, console_errors)
    html = page.locator("html")
    agency = page.locator(".who-agency")
    language = page.locator("#language-select")

    # A visitor is sent to sign in, in Azerbaijani whatever her browser asks for.
    response = page.goto(demo_server + "/")
    assert page.url == demo_server + "/account/login/?next=/"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(html).to_have_attribute("lang", "az")
    expect(language).to_have_value("az")

    _sign_in(page, demo_server)
    expect(agency).to_have_text(POLICE_BAKU["az"])
    # Her home page is her work, addressed to her.
    expect(page.locator("main h1")).to_have_text("Mənim işim")
    expect(page.locator("main")).to_contain_text("Aysel Quliyeva")
    # Under the strict CSP the stylesheet and htmx still load from our own origin.
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object"
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    _switch_language(page, "ru")
    assert page.url == demo_server + "/"
    expect(language).to_have_value("ru")
    expect(agency).to_have_text(POLICE_BAKU["ru"])

    _switch_language(page, "en")
    expect(language).to_have_value("en")
    expect(agency).to_have_text(POLICE_BAKU["en"])

    page.locator("form[action='/account/logout/'] button").click()
    page.wait_for_url(demo_server + "/account/login/")
    expect(page.locator(".who")).to_have_count(0)
    page.goto(demo_server + "/")
    assert page.url == demo_server + "/account/login/?next=/"

    # On another computer the sign-in page is Azerbaijani; her saved English follows her.
    other = browser.new_context(locale="en-GB")
    try:
        other_page = other.new_page()
        other_page.on(
            "console", lambda m: console_errors.append(m.text) if m.type == "error" else None
        )
        other_page.goto(demo_server + "/")
        expect(other_page.locator("html")).to_have_attribute("lang", "az")
        _sign_in(other_page, demo_server)
        expect(other_page.locator("html")).to_have_attribute("lang", "en")
        expect(other_page.locator(".who-agency")).to_have_text(POLICE_BAKU["en"])
    finally:
        other.close()

    csp_errors = [text for text in console_errors if "Content Security Policy" in text]
    assert csp_errors == []
    assert console_errors == []


def _person(browser, base_url: str, username: str, *, width: int = 1280):
    """A browser of her own for a demo user, signed in, reading English."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "birge_language", "value": "en", "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, base_url, username)
    return context, page


def _register_in_steps(page, base_url: str, *steps) -> None:
    """Register a case through its steps (victim, what happened, people, consent): each
    of `steps` fills its step's fields (None leaves a step as it is), then the check page
    registers it."""
    page.goto(base_url + "/cases/new/")
    for fill in steps + (None,) * (4 - len(steps)):
        if fill is not None:
            fill(page)
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Register the case").click()


def test_a_case_is_registered_shared_under_consent_and_hidden_from_outsiders(demo_server, browser):
    # On a 390-px phone, through the steps.
    officer, page = _person(browser, demo_server, "officer", width=390)
    console_errors = []
    _collect_console_errors(page, console_errors)
    summary = page.locator(".error-summary")
    go_on = page.get_by_role("button", name="Continue")
    try:
        page.goto(demo_server + "/cases/new/")
        expect(page.locator("#id_incident-narrative")).to_have_count(0)
        go_on.click()
        # The step's error is summarised at the top, focused, and links to its field.
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_be_focused()
        summary.get_by_role("link").first.click()
        expect(page.locator("#id_victim-first_name")).to_be_focused()
        page.locator("#id_victim-first_name").fill("Nərgiz")
        page.locator("#id_victim-last_name").fill("Səfərova")
        page.locator("#id_victim-birth_date").fill("1991-02-03")
        page.locator("#id_victim-phone").fill("050 765 43 21")
        page.locator("#id_victim-address").fill("Nəsimi rayonu, 7-ci döngə 3")
        go_on.click()

        physical = page.locator("input[name='incident-forms'][value='physical']")
        physical.check()
        box = physical.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24
        target = page.locator("label", has=physical).bounding_box()
        assert target is not None and target["height"] >= 44 and target["width"] >= 44
        page.locator("#id_incident-narrative").fill("He threatened her with a knife.")
        go_on.click()

        # Back keeps what was typed.
        page.get_by_role("button", name="Back").click()
        expect(page.locator("#id_incident-narrative")).to_have_value(
            "He threatened her with a knife."
        )
        expect(physical).to_be_checked()
        go_on.click()
        page.locator("#id_perpetrator-first_name").fill("Fuad")
        page.locator("#id_perpetrator-last_name").fill("Səfərov")
        page.locator("#id_perpetrator-relationship").select_option("spouse")
        go_on.click()

        # The rule is said before submitting; agencies are a list of boxes with a filter.
        expect(page.locator("main")).to_contain_text("not before the date it was given")
        page.locator("#id_consent-given").check()
        agencies = page.locator(".pick-list")
        agencies.get_by_role("searchbox").fill("safe home")
        expect(agencies.get_by_label(SHELTER_EN)).to_be_visible()
        expect(agencies.get_by_role("checkbox", checked=False).filter(visible=True)).to_have_count(
            1
        )
        agencies.get_by_label(SHELTER_EN).check()
        page.locator("#id_consent-valid_until").fill("2030-01-01")
        go_on.click()

        expect(page.locator("main")).to_contain_text("Səfərova")
        expect(page.locator("main")).to_contain_text(SHELTER_EN)
        page.get_by_role("button", name="Register the case").click()

        expect(page.locator("main h1")).to_contain_text("BRG-")
        case_url = page.url
        reference = page.locator("main h1").inner_text().split()[-1]
        expect(page.locator("main")).to_contain_text("Səfərova Nərgiz")

        page.get_by_role("link", name="Share with an agency").click()
        page.locator("#id_agency").select_option(label=SHELTER_EN)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Victim's consent")
    finally:
        officer.close()

    shelter, page = _person(browser, demo_server, "shelter")
    try:
        page.goto(case_url)
        expect(page.locator("main h1")).to_contain_text(reference)
        expect(page.locator("main")).to_contain_text("Səfərova Nərgiz")
        # She consented to the case record, not to her address.
        expect(page.locator("main")).not_to_contain_text("Nəsimi rayonu")
    finally:
        shelter.close()

    outsider, page = _person(browser, demo_server, "outsider")
    try:
        response = page.goto(case_url)
        assert response.status == 404
        page.goto(demo_server + "/cases/?q=" + reference)
        expect(page.locator("main")).not_to_contain_text(reference)
        page.goto(demo_server + "/cases/?q=Safarova+Nargiz")
        expect(page.locator("main")).not_to_contain_text("Nərgiz")
    finally:
        outsider.close()

    assert console_errors == []


def _register_case(page, base_url: str) -> str:
    """Register a case for Təranə Qasımova through the steps; the case page's address."""
    _register_in_steps(
        page,
        base_url,
        lambda page: (
            page.locator("#id_victim-first_name").fill("Təranə"),
            page.locator("#id_victim-last_name").fill("Qasımova"),
        ),
        lambda page: page.locator("input[name='incident-forms'][value='psychological']").check(),
    )
    expect(page.locator("main h1")).to_contain_text("BRG-")
    return page.url


def test_a_coordinator_assesses_the_risk_and_hands_over_a_safety_plan(demo_server, browser):
    coordinator, page = _person(browser, demo_server, "coordinator")
    console_errors = []
    _collect_console_errors(page, console_errors)
    try:
        case_url = _register_case(page, demo_server)

        page.get_by_role("link", name="Assess the risk").first.click()
        page.get_by_role("link", name="Birge risk checklist").click()
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.locator("input[name=item_threat_to_kill][value=yes]").check()
        page.locator("main form button[type=submit]").click()
        # The level and why: one critical item is enough for high.
        expect(page.locator("main")).to_contain_text("High")
        expect(page.locator("main")).to_contain_text("threats to kill")
        page.locator("form[action$='/submit/'] button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Submitted")

        page.goto(case_url)
        expect(page.locator(".risk-chart circle")).to_have_count(1)
        page.get_by_role("link", name="Safety plans").click()
        page.get_by_role("link", name="Make a safety plan").click()
        page.locator("#id_language").select_option("az")
        page.locator("#id_contacts").fill("Bacısı Səbinə; kod söz: «ağ çay».")
        page.locator("main form button[type=submit]").click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download her copy (PDF)").click()
        download = download_info.value
        # Neutral: a phone's file list must not tell whose plan it is.
        assert download.suggested_filename == "document.pdf"
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        coordinator.close()
    assert console_errors == []


def test_a_police_officer_refers_a_high_risk_victim_and_the_shelter_accepts(demo_server, browser):
    officer, page = _person(browser, demo_server, "officer")
    try:
        _register_in_steps(
            page,
            demo_server,
            lambda page: (
                page.locator("#id_victim-first_name").fill("Aytən"),
                page.locator("#id_victim-last_name").fill("Məlikova"),
            ),
            lambda page: (
                page.locator("input[name='incident-forms'][value='physical']").check(),
                page.locator("#id_incident-weapon").select_option("threatened"),
            ),
            None,
            lambda page: (
                page.locator("#id_consent-given").check(),
                page.get_by_label(SHELTER_EN).check(),
                page.locator("#id_consent-valid_until").fill("2030-01-01"),
            ),
        )
        case_url = page.url

        page.get_by_role("link", name="Set the level by judgement alone").click()
        page.locator("#id_level").select_option("high")
        page.locator("#id_reason").fill("He threatened her with a knife last night.")
        page.locator("main form button[type=submit]").click()

        page.goto(case_url)
        page.get_by_role("link", name="Refer", exact=True).click()
        page.get_by_label(re.compile(r"Safe Home.*\(Shelter\)")).check()
        page.locator("#id_summary").fill("A safe place tonight for her and her son.")
        page.locator("button[name=send]").click()
        expect(page.locator("main")).to_contain_text("Sent")
        referral_url = page.url
    finally:
        officer.close()

    shelter, page = _person(browser, demo_server, "shelter")
    try:
        page.goto(referral_url)
        # Before accepting, the shelter reads the summary and the risk, not the case.
        expect(page.locator("main")).to_contain_text("A safe place tonight")
        page.get_by_role("button", name="Accept").click()
        expect(page.locator("main")).to_contain_text("Accepted")
        assert page.goto(case_url).status == 200  # her consent let the shelter in
    finally:
        shelter.close()

    admin, page = _person(browser, demo_server, "admin")
    try:
        page.goto(demo_server + "/referrals/compliance/")
        expect(page.locator("main")).to_contain_text(SHELTER_EN)
        for language in ("az", "ru", "en"):
            response = page.request.get(f"{demo_server}/admin/protocol/1/pdf/?lang={language}")
            assert response.status == 200
            assert response.headers["content-type"] == "application/pdf"
            assert response.body()[:5] == b"%PDF-"
    finally:
        admin.close()


def test_a_chair_builds_the_agenda_a_member_researches_and_the_minutes_download(
    demo_server, browser
):
    chair, page = _person(browser, demo_server, "chair")
    console_errors = []
    _collect_console_errors(page, console_errors)
    try:
        page.goto(demo_server + "/conferences/")
        page.locator("section[aria-labelledby=meetings-h] a").first.click()
        page.get_by_role("button", name="Build from the queue").click()
        expect(page.locator("main")).to_contain_text("cases from the queue are on the agenda")
        first_case = page.locator("main table a[href*='/items/']").first
        item_url = first_case.get_attribute("href")
        series_url = page.locator("main a[href*='/conferences/series/']").first.get_attribute(
            "href"
        )
    finally:
        chair.close()
    assert console_errors == []

    member, page = _person(browser, demo_server, "police.marac")
    try:
        # Before the meeting she sees what research needs, and adds what the police hold.
        page.goto(demo_server + item_url)
        expect(page.locator("main")).to_contain_text("Victim")
        page.locator("#id_topic").select_option("incidents")
        page.locator("#id_text").fill("Two call-outs to the address since the summer.")
        page.get_by_role("button", name="Add the research").click()
        expect(page.locator("main")).to_contain_text("Two call-outs to the address")

        # She attended the last meeting: its minutes download, marked with her name.
        page.goto(demo_server + series_url)
        page.locator("main li", has_text="Closed").locator("a").first.click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Minutes (PDF)").click()
        with open(download_info.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    finally:
        member.close()

    outsider, page = _person(browser, demo_server, "outsider")
    try:
        assert page.goto(demo_server + item_url).status == 404
    finally:
        outsider.close()


def test_an_officer_finds_a_case_by_its_number_alone_and_by_a_first_name_alone(
    demo_server, browser
):
    officer, page = _person(browser, demo_server, "officer")
    try:
        page.goto(demo_server + "/cases/")
        first_row = page.locator("main tbody tr").first
        reference = first_row.locator("td").nth(0).inner_text().split()[0]
        # Shown as "Surname First-name [patronymic]".
        first_name = first_row.locator("td").nth(1).inner_text().split()[1]
        number = reference.rsplit("-", 1)[1].lstrip("0")

        search = page.get_by_role("search")
        search.get_by_label("Reference or name").fill(number)
        search.get_by_role("button", name="Show").click()
        expect(page.locator("main tbody")).to_contain_text(reference)
        expect(page.locator("main tbody tr")).to_have_count(1)

        search.get_by_label("Reference or name").fill(first_name)
        search.get_by_role("button", name="Show").click()
        expect(page.locator("main tbody")).to_contain_text(reference)

        # A refused query (a link; the field itself stops at 100) says why and shows no list.
        page.goto(demo_server + "/cases/?q=" + "x" * 101)
        expect(page.locator("#search-refused")).to_be_visible()
        expect(page.locator("main table")).to_have_count(0)
    finally:
        officer.close()


def _draft_kept(response) -> bool:
    return response.request.headers.get("x-birge-draft") == "save" and response.status == 204


def test_answers_typed_into_the_checklist_survive_the_end_of_the_session(
    demo_server, browser, tmp_path_factory
):
    """The session is deleted on the server (as the idle limit ends it) while the checklist
    is half filled; signing in again leads back to the checklist with every answer."""
    coordinator, page = _person(browser, demo_server, "coordinator")
    console_errors = []
    _collect_console_errors(page, console_errors)
    view = "He said that next time he would not stop."
    try:
        _register_case(page, demo_server)
        page.get_by_role("link", name="Assess the risk").first.click()
        page.get_by_role("link", name="Birge risk checklist").click()
        form_url = page.url
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.locator("input[name=item_threat_to_kill][value=yes]").check()
        page.locator("input[name=item_stalking][value=unknown]").check()
        page.locator("#id_victim_fear").select_option("afraid")
        expect(page.locator("[data-draft-autosave]")).to_contain_text("kept as you type")
        page.wait_for_timeout(500)  # the save of the answers above has come back
        with page.expect_response(_draft_kept, timeout=15_000):
            page.locator("#id_victim_view").fill(view)

        cookie = next(c for c in coordinator.cookies() if c["name"] == "birge_session")
        database = next(tmp_path_factory.getbasetemp().glob("birge-var*/birge.sqlite3"))
        with sqlite3.connect(database) as connection:
            ended = connection.execute(
                "DELETE FROM django_session WHERE session_key = ?", (cookie["value"],)
            ).rowcount
        assert ended == 1

        page.reload()
        page.wait_for_url(re.compile(r".*/account/login/\?next=.*"))
        page.locator("#id_username").fill("coordinator")
        page.locator("#id_password").fill(DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(form_url)

        expect(page.locator(".messages")).to_contain_text("Your unsaved answers were restored.")
        expect(page.locator("input[name=item_threat_to_kill][value=yes]")).to_be_checked()
        expect(page.locator("input[name=item_stalking][value=unknown]")).to_be_checked()
        expect(page.locator("input[name=item_injury][value=no]")).to_be_checked()
        expect(page.locator("#id_victim_fear")).to_have_value("afraid")
        expect(page.locator("#id_victim_view")).to_have_value(view)
    finally:
        coordinator.close()
    assert console_errors == []


def test_the_page_warns_before_the_idle_limit_and_she_stays_signed_in(demo_server, browser):
    officer, page = _person(browser, demo_server, "officer")
    console_errors = []
    _collect_console_errors(page, console_errors)
    try:
        page.clock.install()
        page.goto(demo_server + "/")
        warning = page.locator("#session-warning")
        expect(warning).to_be_hidden()

        page.clock.run_for("13:30")  # of the 15 idle minutes
        expect(warning).to_be_visible()
        expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
        with page.expect_response(lambda r: r.url.endswith("/account/session/")) as kept:
            page.keyboard.press("Enter")
        assert kept.value.status == 200
        expect(warning).to_be_hidden()

        page.clock.run_for("02:00")  # past the first limit: it counts from the keep-alive
        expect(warning).to_be_hidden()
        assert page.url == demo_server + "/"
    finally:
        officer.close()
    assert console_errors == []
