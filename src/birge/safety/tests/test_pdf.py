"""Her copy (print and PDF): in her language, Azerbaijani and Cyrillic letters drawn,
and nothing that would endanger her if found: no address, no shelter location, no name,
no case reference, none of the agencies' actions."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import trans_real

from birge.privacy.redaction import Redactor
from birge.safety import services
from birge.safety.paper import safety_plan_paper
from birge.safety.pdf import paper_pdf
from birge.safety.selectors import case_redactor
from birge.safety.tests.conftest import ADDRESS, SECTIONS, SHELTER_LOCATION, save_anyway, url
from birge.safety.tests.pdftext import pdf_text, squeeze

# Until the translators have written them: what her copy says in Azerbaijani and Russian.
HER_WORDS = {
    "az": {
        "My safety plan": "Mənim təhlükəsizlik planım",
        "Safe contacts and code words": "Təhlükəsiz əlaqələr və şifrə sözlər",
        "Leaving safely and documents to take": "Təhlükəsiz çıxış və götürüləcək sənədlər",
        "Digital safety": "Rəqəmsal təhlükəsizlik",
        "Support services": "Dəstək xidmətləri",
    },
    "ru": {
        "My safety plan": "Мой план безопасности",
        "Safe contacts and code words": "Безопасные контакты и кодовые слова",
        "Leaving safely and documents to take": "Безопасный уход и документы",
        "Digital safety": "Цифровая безопасность",
        "Support services": "Службы поддержки",
    },
}
HEADINGS = [
    "My safety plan",
    "Safe contacts and code words",
    "Leaving safely and documents to take",
    "Digital safety",
    "Support services",
]


@pytest.fixture(autouse=True)
def her_words(monkeypatch):
    """Catalogues of our own for az and ru, dropped after the test."""
    monkeypatch.setattr(trans_real, "_translations", {})
    for language, words in HER_WORDS.items():
        catalog = trans_real.translation(language)._catalog
        for source, text in words.items():
            catalog[source] = text
    yield
    translation.activate("en")


def _expected(language: str, source: str) -> str:
    return HER_WORDS.get(language, {}).get(source, source)


def _plan_in(officer, plan, language: str, **sections):
    return save_anyway(
        actor=officer,
        case=plan.case,
        victim=plan.victim,
        sections={**SECTIONS, **sections},
        language=language,
        version=plan.version,
    )


@pytest.mark.parametrize("language", ["az", "ru", "en"])
def test_the_pdf_is_in_her_language(browse, officer, plan, language):
    plan = _plan_in(officer, plan, language)

    response = browse(officer).get(url(plan, "pdf/"))

    text = pdf_text(response.content)
    for source in HEADINGS:
        assert squeeze(_expected(language, source)) in text
    assert squeeze(SECTIONS["contacts"]) in text  # ə, ü, « » drawn and readable
    if language != "en":
        assert "Safecontactsandcodewords" not in text


def test_the_pdf_is_a_pdf_with_dejavu_embedded(browse, officer, plan):
    response = browse(officer).get(url(plan, "pdf/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"DejaVuSans" in response.content
    assert b"/FontFile2" in response.content  # the font itself, not only its name


def test_the_pdf_has_the_same_neutral_name_for_every_plan(browse, officer, plan):
    response = browse(officer).get(url(plan, "pdf/"))

    assert response["Content-Disposition"] == 'attachment; filename="document.pdf"'
    assert plan.case.reference not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_leaves_out_address_shelter_name_and_actions(browse, officer, police, plan):
    services.safety_action_add(
        actor=officer,
        case=plan.case,
        plan=plan,
        text="Check his weapons licence quietly.",
        agency=police,
        due_on=timezone.localdate(),
    )
    victim = plan.victim.person

    text = pdf_text(browse(officer).get(url(plan, "pdf/")).content)

    for secret in (
        ADDRESS,
        SHELTER_LOCATION,
        victim.first_name,
        victim.last_name,
        plan.case.reference,
        "Check his weapons",
        police.name,
    ):
        assert squeeze(secret) not in text


def test_an_address_typed_into_a_section_is_left_out(browse, officer, plan):
    plan = _plan_in(
        officer,
        plan,
        "en",
        leaving=f"Go to {SHELTER_LOCATION.upper()} by taxi, not from {ADDRESS}.",
    )

    text = pdf_text(browse(officer).get(url(plan, "pdf/")).content)

    assert squeeze(SHELTER_LOCATION) not in text
    assert squeeze(SHELTER_LOCATION.upper()) not in text
    assert squeeze(ADDRESS) not in text
    # The word "shelter" (Sığınacaq) may stay: it tells nothing of where.
    assert (
        squeeze("[left out for your safety] by taxi, not from [left out for your safety].") in text
    )


def test_the_paper_is_the_sections_only(officer, plan):
    revision = plan.revisions.get()

    paper = safety_plan_paper(
        revision=revision, language="en", redactor=case_redactor(case=plan.case)
    )

    assert [b.heading for b in paper.blocks][:2] == [
        "Safe contacts and code words",
        "Leaving safely and documents to take",
    ]
    assert [b.text for b in paper.blocks] == list(SECTIONS.values())
    everything = " ".join(
        [paper.title, paper.subtitle, paper.footer] + [b.heading + b.text for b in paper.blocks]
    )
    assert ADDRESS not in everything
    assert SHELTER_LOCATION not in everything


def test_empty_sections_are_not_printed(officer, plan):
    plan = _plan_in(officer, plan, "en", children="", work_school="")

    paper = safety_plan_paper(revision=plan.revisions.first(), language="en", redactor=Redactor())

    assert "Children" not in [b.heading for b in paper.blocks]
    assert len(paper.blocks) == 5


@pytest.mark.parametrize(
    "text",
    [
        "Emoji 😀🏠 and CJK 安全 and Arabic أمان",
        "control\x07char\x1b[31m and tab\tand\r\nlines",
        "x" * 4000,
        "ə" * 4000,
    ],
)
def test_any_text_makes_a_pdf(browse, officer, plan, text):
    plan = _plan_in(officer, plan, "az", contacts=text)

    response = browse(officer).get(url(plan, "pdf/"))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_the_print_view_is_her_copy_in_her_language(browse, officer, plan):
    html = browse(officer).get(url(plan, "print/")).content.decode()

    assert 'lang="az"' in html
    assert "Mənim təhlükəsizlik planım" in html
    assert "Təhlükəsiz əlaqələr və şifrə sözlər" in html
    for secret in (
        ADDRESS,
        SHELTER_LOCATION,
        plan.victim.person.last_name,
        plan.case.reference,
        "Birge",
    ):
        assert secret not in html


def test_the_paper_itself_leaves_nothing_behind(officer, plan):
    paper = safety_plan_paper(revision=plan.revisions.get(), language="az", redactor=Redactor())

    data = paper_pdf(paper, compress=False)

    assert squeeze("Mənim təhlükəsizlik planım") in pdf_text(data)
