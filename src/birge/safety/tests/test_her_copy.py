"""What the victim takes home reveals nothing (issue 10): the PDF's text and metadata,
and the printed page, are checked for the case's names and addresses in the spellings,
scripts, endings and abbreviations a worker might type, whenever the plan was written."""

import io
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from birge.cases.models import CasePerson, Part
from birge.cases.tests.factories import register_case
from birge.safety.models import SafetyPlanRevision
from birge.safety.tests.conftest import save_anyway, url
from birge.safety.tests.pdftext import pdf_text, squeeze

SHELTER = "Sığınacaq: Xətai rayonu, Babək prospekti 15"
# What a worker typed into the plan, before the check existed or saving anyway.
TYPED = {
    "contacts": "Leylanın bacısı bilir. Лейла знает код: «çay dəmlə».",
    "leaving": "Nizami küçəsi 12-dən taksi ilə çıx, Xətai r-nu, Babək pr. 15-ə get. "
    "Köhnə ev: Nizami 12, m. 7.",
    "children": "Nərmin məktəbdən yalnız xalası ilə gedir. Нармин не говорить Рауфу.",
    "digital": "Mamedov telefonunu yoxlayır; Raufun nömrəsini blokla.",
    "support_services": "Qaynar xətt: 860.",
}
# None of these may be on her copy, in any script or case.
NEVER = [
    "Nizami",
    "Низами",
    "küçəsi 12",
    "Babək",
    "Xətai",
    "pr. 15",
    "m. 7",
    "Leyla",
    "Лейла",
    "Məmmədov",
    "Mamedov",
    "Rauf",
    "Рауф",
    "Nərmin",
    "Нармин",
    "Gənclik",
]
# What the plan says besides: still on her copy.
KEPT = ["bacısı bilir", "taksi ilə çıx", "məktəbdən yalnız xalası ilə gedir", "Qaynar xətt: 860."]


@pytest.fixture
def family_plan(request, officer):
    """The defect's case: the victim's recorded address is "Nizami küçəsi 12, mənzil 7",
    she stays in a shelter, and the plan names her, her husband and her daughter."""
    request.getfixturevalue("coordinator")
    case = register_case(
        officer,
        victim={
            "first_name": "Leyla",
            "last_name": "Məmmədova",
            "address": "Nizami küçəsi 12, mənzil 7",
        },
        perpetrator={"first_name": "Rauf", "last_name": "Məmmədov"},
        children=[
            {"first_name": "Nərmin", "last_name": "Məmmədova", "birth_date": date(2016, 3, 1)}
        ],
        incident={"place": "Gənclik metrosunun yanında"},
    )
    victim = CasePerson.objects.get(case=case, part=Part.VICTIM)
    victim.shelter_location = SHELTER
    victim.save(update_fields=["shelter_location"])
    return save_anyway(
        actor=officer, case=case, victim=victim, sections=TYPED, language="az", version=0
    )


def test_her_pdf_carries_no_name_address_or_case_reference(browse, officer, family_plan):
    response = browse(officer).get(url(family_plan, "pdf/"))

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    extracted = squeeze(" ".join(page.extract_text() for page in reader.pages))
    ours = pdf_text(response.content)
    for text in (extracted, ours):
        for secret in [*NEVER, family_plan.case.reference]:
            assert squeeze(secret).casefold() not in text.casefold(), secret
        for kept in KEPT:
            assert squeeze(kept) in text, kept
    assert response.content.count(b"Leyla") == 0


def test_her_pdf_says_nothing_in_its_metadata_or_name(browse, officer, family_plan):
    response = browse(officer).get(url(family_plan, "pdf/"))

    reader = PdfReader(io.BytesIO(response.content))
    info = reader.metadata or {}
    for field in ("/Title", "/Subject", "/Author", "/Keywords", "/Creator", "/Producer"):
        assert not info.get(field), field
    assert info.get("/CreationDate") == "D:20000101000000Z"  # the same for every copy
    assert reader.xmp_metadata is None
    assert response["Content-Disposition"] == 'attachment; filename="document.pdf"'


def test_her_printed_copy_carries_none_of_it_either(browse, officer, family_plan):
    html = browse(officer).get(url(family_plan, "print/")).content.decode()
    main = html[html.index("<main>") :]

    for secret in [*NEVER, family_plan.case.reference]:
        assert secret.casefold() not in main.casefold(), secret
    for kept in KEPT:
        assert kept in main


def test_a_plan_saved_before_the_check_existed_is_blanked_too(browse, officer, family_plan):
    # Written straight into the table, as the plans saved before the check were.
    SafetyPlanRevision.objects.create(
        plan=family_plan, number=2, author=officer, contacts="Raufun anası Nizami 12-də yaşayır."
    )

    text = pdf_text(browse(officer).get(url(family_plan, "pdf/")).content)

    assert "Rauf" not in text
    assert "Nizami" not in text
    assert squeeze("anası") in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "5 dekabr 2026"), ("ru", "5 декабря 2026"), ("en", "5 December 2026")],
)
def test_the_date_on_her_copy_follows_her_languages_rules(
    browse, officer, family_plan, language, expected
):
    with time_machine.travel(date(2026, 12, 5), tick=False):
        plan = save_anyway(
            actor=officer,
            case=family_plan.case,
            victim=family_plan.victim,
            sections={"contacts": "Kod söz: «çay»."},
            language=language,
            version=family_plan.version,
        )

    html = browse(officer).get(url(plan, "print/")).content.decode()

    assert expected in html
    assert squeeze(expected) in pdf_text(browse(officer).get(url(plan, "pdf/")).content)
