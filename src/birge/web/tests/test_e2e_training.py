"""Issue 17's "Done when", in a real browser on the demo.

The demo's facilitator (`trainer`) opens a session of the strangulation case study; three
demo users join it with its code on browsers of their own and answer the real risk
checklist of each stage she releases, each differently; she sees the spread of the group
with the reference answer and its reasoning (a participant's name only when she chose to
show it) and downloads the report as a PDF, which holds the same spread. A participant
sees her own answers and nobody else's.

Language guidance: typing a blaming phrase in an incident's narrative, in az, ru and en,
shows the note with its suggestion under the field as she pauses (htmx); saving still
works. The spread, a stage's page and the note are saved in Azerbaijani, on a desktop and
a 390-px phone, under docs/screenshots/.
"""

import io
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from birge.training.casestudy import case_study_get, text_in
from birge.web.tests.test_e2e import _person
from birge.web.tests.test_e2e_screens import _browser_for, _save
from birge.words.rules import rules_in_force

pytestmark = pytest.mark.e2e

STUDY = "strangulation-separation"
# (demo user, shows her name, the answer she gives to every question of the checklist)
PARTICIPANTS = (
    ("officer", False, "yes"),
    ("coordinator", False, "no"),
    ("shelter", True, "unknown"),
)
NAMES = {"officer": "Aysel", "coordinator": "Günel", "shelter": "Səbinə"}


def _open_session(page, base_url: str, title: str, language: str) -> tuple[str, str]:
    """The facilitator opens a session of the case study's first two stages, through the
    page; returns its address and its join code."""
    study = case_study_get(STUDY)
    page.goto(base_url + "/training/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_case_study").select_option(STUDY)
    for stage in study.stages[:2]:
        # Every case study's stages are listed, under its title (in her language).
        label = (
            f"{text_in(study.titles, language)}: {stage.number}. {text_in(stage.titles, language)}"
        )
        page.get_by_label(label, exact=True).check()
    page.locator("#id_language").select_option(language)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text(title)
    return page.url, page.locator(".join-code").inner_text()


def _join(page, base_url: str, code: str, *, show_name: bool) -> None:
    page.goto(base_url + "/training/")
    page.locator("#id_join_code").fill(code.lower())  # as typed: the case does not matter
    if show_name:
        page.locator("#id_show_name").check()
    page.locator("form[action$='/training/join/'] button[type=submit]").click()
    expect(page.locator(".join-code")).to_have_count(0)  # her view, not the facilitator's


def _answer(page, session_url: str, stage_id: str, answer: str, nth: int) -> None:
    """Every question of the checklist answered `answer`, her own decisions, saved."""
    page.goto(f"{session_url}stages/{stage_id}/")
    radios = page.locator(f"input[type=radio][name^='item_'][value='{answer}']")
    assert radios.count() > 5
    for index in range(radios.count()):
        radios.nth(index).check()
    page.locator("#id_actions").fill(f"Action {nth}: a safe place to stay tonight")
    page.locator("input[name='referral']").nth(nth % 2).check()
    page.locator(f"input[name='conference'][value='{'yes' if nth % 2 else 'no'}']").check()
    page.locator("main form.assessment button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Only you can see them")
    expect(page.locator("main")).to_contain_text(re.compile(r"\(level: \w+\)"))


def _pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")  # poppler's
    if pdftotext:
        done = subprocess.run(  # noqa: S603 - poppler on our own PDF
            [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        )
        text = done.stdout.decode()
    else:  # pypdf, a dependency already, where poppler is not installed
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_a_facilitator_runs_the_strangulation_case_study_with_three_participants(
    demo_server, browser
):
    study = case_study_get(STUDY)
    first, second = study.stages[:2]
    trainer, facilitator = _person(browser, demo_server, "trainer")
    people = []
    try:
        session_url, code = _open_session(facilitator, demo_server, "Course 17, Baku", "en")
        release = facilitator.get_by_role("button", name="Release the next stage")
        for username, show_name, _answer_given in PARTICIPANTS:
            context, page = _person(browser, demo_server, username)
            people.append((context, page))
            _join(page, demo_server, code, show_name=show_name)
            # Nothing released yet: nothing to answer.
            expect(page.locator("main")).to_contain_text("has not released a stage yet")
        facilitator.reload()
        expect(facilitator.locator("main")).to_contain_text("3 participants")

        for stage in (first, second):
            release.click()
            expect(facilitator.locator("main")).to_contain_text("The next stage is released")
            for nth, ((_context, page), (_u, _s, answer)) in enumerate(
                zip(people, PARTICIPANTS, strict=True)
            ):
                _answer(page, session_url, stage.id, answer, nth)
        # The case study has a third stage; the session chose two, so none is left.
        expect(release).to_have_count(0)

        # The spread of the second stage: three answers, levels apart, the reference and
        # its reasoning, and only the name of the participant who chose to show it.
        facilitator.goto(f"{session_url}stages/{second.id}/spread/")
        main = facilitator.locator("main")
        expect(main).to_contain_text("3 answers")
        levels = facilitator.locator("ul.spread").first.locator("li")
        assert levels.count() >= 2, levels.all_inner_texts()
        expect(main).to_contain_text(text_in(second.risk.reasoning, "en")[:60])
        expect(main).to_contain_text("Səbinə Rzayeva")
        for hidden in ("Aysel", "Günel", "Quliyeva", "Əliyeva"):
            expect(main).not_to_contain_text(hidden)
        expect(main).to_contain_text("Participant 1")
        spread = [" ".join(t.split()) for t in levels.all_inner_texts()]

        # The report, downloaded: a PDF with the group's spread in it.
        facilitator.goto(session_url + "report/")
        with facilitator.expect_download() as download_info:
            facilitator.get_by_role("link", name="PDF").click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
        text = _pdf_text(pdf)
        assert "Answers: 3" in text, text[:2000]
        for count in spread:
            label = count.removesuffix("reference").removesuffix("✓").strip()
            assert label.split(":")[0] in text, (label, text[:2000])

        # A participant: her own answers, nobody else's, and no spread page of her own.
        _context, page = people[1]
        page.goto(session_url + "report/")
        own = page.locator(".own-answers")
        expect(own).to_have_count(2)  # one for each released stage
        checklist = own.first.locator("ul").first  # her answers to the questions
        expect(checklist).to_contain_text(": No")
        expect(checklist).not_to_contain_text(": Yes")  # the first participant's
        expect(checklist).not_to_contain_text(": Not known")  # the third one's
        for name in NAMES.values():
            expect(page.locator("main")).not_to_contain_text(name)
        assert page.goto(f"{session_url}stages/{second.id}/spread/").status == 404
    finally:
        for context, _page in people:
            context.close()
        trainer.close()

    outsider, page = _person(browser, demo_server, "outsider")
    try:
        for path in ("", "report/", "report.pdf", f"stages/{first.id}/"):
            assert page.goto(session_url + path).status == 404, path
    finally:
        outsider.close()


# A blaming phrase in each language, in a sentence written by the professional herself.
NARRATIVES = {
    "az": "Qadın onu təhrik edib, sonra kişi onu itələdi.",
    "ru": "Она его спровоцировала, после чего он её толкнул.",
    "en": "She provoked him and then he pushed her against the wall.",
}
INSTEAD = {"az": "Əvəzində:", "ru": "Вместо этого:", "en": "Instead:"}


def _rule(code: str):
    return next(rule for rule in rules_in_force().rules if rule.code == code)


def _a_case_of(page, base_url: str) -> str:
    page.goto(base_url + "/cases/")
    return page.locator("main a[href^='/cases/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href')).find(h => /^\\/cases\\/\\d+\\/$/.test(h))"
    )


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_a_blaming_phrase_in_an_incident_narrative_brings_the_note_and_saving_works(
    demo_server, browser, language
):
    provoked = _rule("provoked")
    width = 390 if language == "az" else 1280
    context, page = _browser_for(browser, demo_server, "officer", language, width=width)
    try:
        case = _a_case_of(page, demo_server)
        page.goto(demo_server + case + "incidents/new/")
        narrative = page.locator("#id_narrative")
        note = page.locator("#id_narrative_words")
        expect(note).to_be_empty()
        narrative.press_sequentially(NARRATIVES[language], delay=5)
        # The note under the field, as she pauses: the phrase marked, and the suggestion.
        expect(note.locator("mark")).to_have_count(1, timeout=3_000)
        expect(note).to_contain_text(INSTEAD[language])
        expect(note).to_contain_text(provoked.suggestion[language][:40])
        expect(note).to_contain_text(provoked.explanation[language][:40])
        note_box = note.bounding_box()
        field_box = narrative.bounding_box()
        assert note_box["y"] >= field_box["y"] + field_box["height"] - 1  # under the field
        if language == "az":
            note.scroll_into_view_if_needed()
            page.evaluate("document.activeElement.blur()")
            _save(page, "phone-words-note-az")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # Saving is not blocked: the incident is recorded with her words in it.
        page.locator("input[name='forms'][value='physical']").check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(demo_server + case)
        expect(page.locator("main .narrative").filter(has_text=NARRATIVES[language])).to_have_count(
            1
        )
    finally:
        context.close()


def test_the_spread_and_a_stage_page_are_saved_in_azerbaijani(demo_server, browser):
    study = case_study_get(STUDY)
    first = study.stages[0]
    trainer, facilitator = _browser_for(browser, demo_server, "trainer", "az")
    people = []
    try:
        session_url, code = _open_session(facilitator, demo_server, "Kurs 17, Bakı", "az")
        for username, show_name, _answer_given in PARTICIPANTS[:2]:
            people.append(_browser_for(browser, demo_server, username, "az"))
            _join(people[-1][1], demo_server, code, show_name=show_name)
        facilitator.reload()
        facilitator.locator("form[action$='/release/'] button").click()
        for nth, ((_context, page), (_u, _s, answer)) in enumerate(
            zip(people, PARTICIPANTS, strict=False)
        ):
            page.goto(f"{session_url}stages/{first.id}/")
            radios = page.locator(f"input[type=radio][name^='item_'][value='{answer}']")
            for index in range(radios.count()):
                radios.nth(index).check()
            page.locator("input[name='referral']").nth(nth).check()
            page.locator("input[name='conference'][value='yes']").check()
            page.locator("main form.assessment button[type=submit]").click()
            expect(page.locator(".own-answers, main p.muted").first).to_be_visible()

        page = people[0][1]
        for width, name in ((1280, "training-stage-az"), (390, "phone-training-stage-az")):
            page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
            page.goto(f"{session_url}stages/{first.id}/")
            expect(page.locator("html")).to_have_attribute("lang", "az")
            _save(page, name)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        for width, name in ((1280, "training-spread-az"), (390, "phone-training-spread-az")):
            facilitator.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
            facilitator.goto(f"{session_url}stages/{first.id}/spread/")
            expect(facilitator.locator("main")).to_contain_text("2")
            _save(facilitator, name)
            assert facilitator.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        for context, _page in people:
            context.close()
        trainer.close()
