"""Her copy as a PDF (fpdf2, pure Python), with DejaVu Sans embedded for Azerbaijani
(ə ğ ı ö ü ş ç) and Cyrillic letters. What is on it is decided in birge.safety.paper."""

from functools import cache
from pathlib import Path

import matplotlib
from fpdf import FPDF

from birge.safety.paper import Paper

FONT = "DejaVu"


@cache
def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def paper_pdf(paper: Paper, *, compress: bool = True) -> bytes:
    pdf = FPDF(format="A4")
    pdf.compress = compress
    pdf.set_title(paper.title)
    pdf.set_lang(paper.language)
    pdf.set_creator("")
    pdf.set_producer("")
    pdf.add_font(FONT, "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    _paragraph(pdf, paper.title, height=9)
    pdf.set_font(FONT, "", 10)
    _paragraph(pdf, paper.subtitle, height=6)
    pdf.ln(4)
    for block in paper.blocks:
        pdf.set_font(FONT, "B", 13)
        _paragraph(pdf, block.heading, height=7)
        pdf.set_font(FONT, "", 11)
        _paragraph(pdf, block.text, height=6)
        pdf.ln(3)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 10)
    _paragraph(pdf, paper.footer, height=6)
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str, *, height: float) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
