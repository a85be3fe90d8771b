"""The minutes as a PDF (fpdf2, with DejaVu Sans embedded for Azerbaijani and Cyrillic
letters). Every page says "CONFIDENTIAL" and who downloaded it when, at its top and its
bottom, and carries the word across it: a page found on its own still says whose it was.
What is on the minutes is decided in birge.conferences.minutes."""

import re
from functools import cache
from pathlib import Path

import matplotlib
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from birge.conferences.minutes import ItemMinutes, Minutes

FONT = "DejaVu"
# Letters a PDF font cannot draw and that mean nothing on paper (control characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MARGIN = 15


@cache
def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _clean(text: str) -> str:
    return _CONTROL.sub("", text or "")


class MinutesPDF(FPDF):
    """A4 pages whose header and footer carry the watermark line and the page number."""

    def __init__(self, minutes: Minutes, *, page_of: str):
        super().__init__(format="A4")
        self.minutes = minutes
        self.page_of = page_of  # "Page %(page)s of %(pages)s", in the minutes' language
        self.add_font(FONT, "", str(_font_dir() / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=22)

    def header(self) -> None:
        # Across the page, light enough to read the minutes through it.
        self.set_font(FONT, "B", 64)
        self.set_text_color(232, 232, 232)
        word = _clean(self.minutes.confidential)
        with self.rotation(45, x=self.w / 2, y=self.h / 2):
            self.text(self.w / 2 - self.get_string_width(word) / 2, self.h / 2, word)
        self.set_text_color(150, 0, 0)
        self.set_font(FONT, "B", 9)
        self.cell(0, 5, word, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8)
        self.multi_cell(0, 4, _clean(self.minutes.watermark), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_text_color(150, 0, 0)
        self.set_font(FONT, "", 8)
        self.multi_cell(0, 4, _clean(self.minutes.watermark), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        page = self.page_of % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 4, page, align="R")

    # Writing ----------------------------------------------------------------------------

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font(FONT, "B", size)
        self.paragraph(text, height=size * 0.5 + 1)

    def paragraph(self, text: str, *, height: float = 5.5) -> None:
        if text:
            self.multi_cell(0, height, _clean(text), new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, text: str) -> None:
        """A bold label and its text, as one paragraph ("Label: text")."""
        if not text:
            return
        self.set_font(FONT, "B", 10)
        self.multi_cell(0, 5.5, _clean(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 10)
        self.paragraph(text)
        self.ln(1)


def minutes_pdf(minutes: Minutes, *, compress: bool = True) -> bytes:
    with translation.override(minutes.language):
        pdf = MinutesPDF(minutes, page_of=_("Page %(page)s of %(pages)s"))
        pdf.compress = compress
        pdf.set_title(_clean(minutes.title))
        pdf.set_lang(minutes.language)
        pdf.set_creator("")
        pdf.set_producer("")
        pdf.alias_nb_pages()
        pdf.add_page()
        _front(pdf, minutes)
        for item in minutes.items:
            _item(pdf, item)
        _earlier(pdf, minutes)
        return bytes(pdf.output())


def _front(pdf: MinutesPDF, minutes: Minutes) -> None:
    pdf.heading(minutes.title, size=16)
    pdf.set_font(FONT, "", 11)
    pdf.paragraph(minutes.series)
    when = _("%(date)s at %(time)s") % {"date": minutes.date, "time": minutes.time}
    if minutes.place:
        when += " · " + minutes.place
    pdf.paragraph(when)
    pdf.paragraph(_("Chair: %(name)s") % {"name": minutes.chair})
    pdf.set_font(FONT, "B", 11)
    pdf.paragraph(minutes.status)
    pdf.ln(3)

    pdf.heading(_("Attendance"))
    pdf.set_font(FONT, "", 10)
    for attendee in minutes.attendees:
        pdf.paragraph(
            _("%(name)s, %(agency)s: accepted the confidentiality statement at %(time)s")
            % {"name": attendee.name, "agency": attendee.agency, "time": attendee.accepted_at}
        )
    pdf.paragraph(_present(minutes))
    pdf.ln(3)
    pdf.heading(_("Confidentiality statement"))
    pdf.set_font(FONT, "", 10)
    pdf.paragraph(minutes.confidentiality)
    pdf.ln(3)
    pdf.heading(_("Cases"))
    if not minutes.items:
        pdf.set_font(FONT, "", 10)
        pdf.paragraph(_("No cases were on the agenda."))


def _present(minutes: Minutes) -> str:
    line = _("Member agencies present: %(present)d; quorum: %(quorum)d.") % {
        "present": minutes.agencies_present,
        "quorum": minutes.quorum,
    }
    if not minutes.quorum_reached:
        line += " " + _("The quorum was not reached.")
    return line


def _item(pdf: MinutesPDF, item: ItemMinutes) -> None:
    pdf.ln(2)
    pdf.heading(f"{item.number}. {item.reference}", size=12)
    pdf.set_font(FONT, "", 10)
    if item.sealed:
        pdf.paragraph(_("This case is sealed: what was said is kept in the case record."))
        return
    if item.deferred:
        pdf.paragraph(_("Deferred to a later meeting."))
        return
    facts = [
        _("Risk level: %(level)s") % {"level": item.risk_level or "—"},
        _("Criterion: %(criterion)s") % {"criterion": item.criterion},
        _("Outcome: %(outcome)s") % {"outcome": item.outcome},
    ]
    if item.repeat:
        facts.append(_("Repeat case"))
    pdf.paragraph(" · ".join(facts))
    pdf.ln(1)
    pdf.field(_("Summary"), item.summary)
    pdf.field(_("The victim's view"), item.victim_view)
    pdf.field(_("Risks identified"), item.risks)
    if item.actions:
        pdf.set_font(FONT, "B", 10)
        pdf.paragraph(_("Actions"))
        for number, action in enumerate(item.actions, start=1):
            pdf.set_font(FONT, "", 10)
            pdf.paragraph(f"{item.number}.{number}. {action.text}")
            pdf.set_font(FONT, "", 9)
            pdf.paragraph(
                _(
                    "Responsible: %(agency)s, %(person)s · due %(due)s · for: %(concerns)s · "
                    "%(status)s"
                )
                % {
                    "agency": action.agency,
                    "person": action.person,
                    "due": action.due,
                    "concerns": action.concerns,
                    "status": action.status,
                }
            )
            pdf.ln(1)


def _earlier(pdf: MinutesPDF, minutes: Minutes) -> None:
    pdf.ln(3)
    pdf.heading(_("Open actions from earlier meetings"))
    pdf.set_font(FONT, "", 10)
    if not minutes.earlier_actions:
        pdf.paragraph(_("None."))
    for action in minutes.earlier_actions:
        line = _("%(reference)s · %(agency)s · due %(due)s") % {
            "reference": action.reference,
            "agency": action.agency,
            "due": action.due,
        }
        if action.overdue:
            line += " · " + _("overdue")
        pdf.paragraph(line)
