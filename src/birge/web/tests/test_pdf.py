"""The one PDF base: fonts checked at start-up, neutral metadata by default, text cleaned,
lines on every page, and dates as each language writes them."""

import datetime
import io

import pytest
from django.core import checks
from pypdf import PdfReader

from birge.web.pdf import Document, clean, document_date

AZ_MONTHS = "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr"
RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
EN_MONTHS = "January February March April May June July August September October November December"


@pytest.mark.parametrize(
    ("language", "months"), [("az", AZ_MONTHS), ("ru", RU_MONTHS), ("en", EN_MONTHS)]
)
def test_a_date_is_written_by_its_languages_rules(language, months):
    written = [document_date(datetime.date(2026, m, 5), language) for m in range(1, 13)]

    assert written == [f"5 {month} 2026" for month in months.split()]


def test_a_moment_is_dated_in_bakus_time():
    late = datetime.datetime(2026, 12, 31, 21, 30, tzinfo=datetime.UTC)  # 01:30 in Baku

    assert document_date(late, "az") == "1 yanvar 2027"


def test_text_loses_what_a_page_cannot_show_and_keeps_the_rest():
    text = "Leyla\u202e21 ,ə\u200bli\x07\tок\r\nyes\n"

    assert clean(text) == "Leyla21 ,əli ок\nyes\n"


def _pdf(**kwargs) -> PdfReader:
    pdf = Document(language="az", **kwargs)
    pdf.paragraph("Mətn: ə ğ ı ö ü ş ç — Текст")
    return PdfReader(io.BytesIO(pdf.pdf_bytes()))


def test_a_document_says_nothing_of_itself_by_default():
    reader = _pdf()

    info = reader.metadata or {}
    assert {key for key, value in info.items() if value} == {"/CreationDate"}
    assert info["/CreationDate"] == "D:20000101000000Z"
    assert reader.xmp_metadata is None
    assert "ə ğ ı ö ü ş ç — Текст" in reader.pages[0].extract_text()


def test_a_document_may_carry_a_title():
    assert _pdf(title="Protokol\x00").metadata["/Title"] == "Protokol"


def test_lines_and_the_page_number_are_on_every_page():
    pdf = Document(
        language="en",
        across="CONFIDENTIAL",
        top=["CONFIDENTIAL", "Downloaded by Aysel"],
        bottom=["Downloaded by Aysel"],
        page_label="Page %(page)s of %(pages)s",
    )
    for _ in range(120):
        pdf.paragraph("A line of the minutes.")
    pages = PdfReader(io.BytesIO(pdf.pdf_bytes())).pages

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert text.count("Downloaded by Aysel") == 2
        assert f"Page {number} of {len(pages)}" in text


def test_birge_does_not_start_without_its_fonts(settings, tmp_path):
    assert not [m for m in checks.run_checks() if m.id == "web.E001"]

    settings.BIRGE_FONT_DIR = str(tmp_path)
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")

    (error,) = [m for m in checks.run_checks() if m.id == "web.E001"]
    assert error.level == checks.ERROR
    assert "DejaVuSans-Bold.ttf" in error.msg
    assert "fonts-dejavu-core" in error.hint
