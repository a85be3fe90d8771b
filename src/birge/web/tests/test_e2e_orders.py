"""A protection order from issue to breach, in a real browser on the demo: an officer
records an incident (registers the case, with the victim's consent for the local
executive authority, and shares it), the authority's user issues a short-term order and
records that it was served, the officer records a breach, and the case waits for the
risk conference as a breach. An agency outside the case finds no order."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from birge.demo.data import AGENCIES
from birge.web.tests.test_e2e import _person, _register_in_steps

pytestmark = pytest.mark.e2e

AUTHORITY_EN = next(names[2] for code, _kind, _region, names in AGENCIES if code == "lea-baku")


def test_an_order_is_issued_served_and_breached_and_the_case_is_queued(demo_server, browser):
    officer, page = _person(browser, demo_server, "officer", width=390)  # on a phone
    try:
        _register_in_steps(
            page,
            demo_server,
            lambda page: (
                page.locator("#id_victim-first_name").fill("Səbinə"),
                page.locator("#id_victim-last_name").fill("Orucova"),
            ),
            lambda page: page.locator("input[name='incident-forms'][value='physical']").check(),
            lambda page: (
                page.locator("#id_perpetrator-first_name").fill("Elçin"),
                page.locator("#id_perpetrator-last_name").fill("Orucov"),
            ),
            lambda page: (
                page.locator("#id_consent-given").check(),
                page.get_by_label(AUTHORITY_EN).check(),
                page.locator("#id_consent-valid_until").fill("2030-01-01"),
            ),
        )
        expect(page.locator("main h1")).to_contain_text("BRG-")
        case_url = page.url
        page.get_by_role("link", name="Share with an agency").click()
        page.locator("#id_agency").select_option(label=AUTHORITY_EN)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Victim's consent")
        expect(page.locator("#orders-h")).to_have_text("Protection orders")
    finally:
        officer.close()

    executive, page = _person(browser, demo_server, "executive")
    try:
        page.goto(case_url)
        page.get_by_role("link", name="Apply for a protection order").click()
        page.locator("#id_order_type").select_option("short_term")
        page.locator("#id_issuing_agency").select_option(label=AUTHORITY_EN)
        page.locator("#id_applicant").select_option("own_motion")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main h1")).to_contain_text("Protection order no.")
        order_url = page.url

        page.get_by_role("link", name="Issue", exact=True).click()
        too_late = timezone.localdate() + timedelta(days=45)
        page.locator("#id_ends_on").fill(too_late.isoformat())
        page.locator("input[name='conditions'][value='no_contact']").check()
        page.locator("main form button[type=submit]").click()
        # The bound from the order types, in a field message.
        expect(page.locator("main")).to_contain_text("at most 30 days")
        page.locator("#id_ends_on").fill((timezone.localdate() + timedelta(days=20)).isoformat())
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Issued, not yet served")

        page.get_by_role("link", name="Record that it was served").click()
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Served and in force")
    finally:
        executive.close()

    officer, page = _person(browser, demo_server, "officer", width=390)
    try:
        page.goto(case_url)
        expect(page.locator("main")).to_contain_text("Served and in force")
        page.goto(order_url)
        page.get_by_role("link", name="Record a breach").click()
        page.locator("input[name='forms'][value='psychological']").check()
        page.locator("#id_narrative").fill("He came to her door although the order forbids it.")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Breached")

        page.goto(case_url)
        conference = page.locator("section[aria-labelledby='conference-h']")
        expect(conference).to_contain_text("Waiting in the queue")
        expect(conference).to_contain_text("Breach of a protection order")
    finally:
        officer.close()

    chair, page = _person(browser, demo_server, "chair")
    try:
        page.goto(demo_server + "/conferences/")
        page.get_by_role("link", name="Baku", exact=False).first.click()
        expect(page.locator("main")).to_contain_text("Breach of a protection order")
    finally:
        chair.close()

    outsider, page = _person(browser, demo_server, "outsider")
    try:
        assert page.goto(order_url).status == 404
    finally:
        outsider.close()
