"""Her copy as a PDF, on the one PDF base (birge.web.pdf): neutral metadata (no title,
no author, no producer, a fixed date), so that a phone's file list shows nothing of what
it is. What is on it is decided in birge.safety.paper."""

from birge.safety.paper import Paper
from birge.web.pdf import Document


def paper_pdf(paper: Paper, *, compress: bool = True) -> bytes:
    pdf = Document(language=paper.language, margin=18, compress=compress)
    pdf.paragraph(paper.title, size=18, bold=True)
    pdf.paragraph(paper.subtitle, size=10)
    pdf.ln(4)
    for block in paper.blocks:
        pdf.paragraph(block.heading, size=13, bold=True, height=7)
        pdf.paragraph(block.text, size=11)
        pdf.ln(3)
    pdf.ln(4)
    pdf.paragraph(paper.footer, size=10, bold=True)
    return pdf.pdf_bytes()
