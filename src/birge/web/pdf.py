"""One PDF base for every document Birge hands over: the victim's safety plan, the
conference minutes and the co-operation protocol.

- Fonts: DejaVu Sans (regular and bold) from `settings.BIRGE_FONT_DIR`, Debian's
  `fonts-dejavu-core` by default, embedded so that Azerbaijani (ə ğ ı ö ü ş ç) and
  Cyrillic letters show on any reader. A system check (`web.E001`, registered by
  birge.web.apps) stops Birge at start-up when they are missing.
- Metadata is neutral by default: no title, subject, author, keywords, creator or
  producer, and a fixed creation date, so that a file list on a phone shows nothing of
  what the document is or when it was taken. A document may give a title.
- Text is cleaned of control and invisible formatting characters (a font cannot draw
  them, and a right-to-left override would reorder the words around it).
- Optional on every page: a word across the page ("CONFIDENTIAL"), lines at the top and
  the bottom (who downloaded it when) and the page number.

`document_date` writes a date as the documents print it, by each language's rules.
"""

import datetime
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils import dateformat, timezone, translation
from fpdf import FPDF

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# A creation date that says nothing: the same for every document.
NEUTRAL_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
RED = (150, 0, 0)
LIGHT_GREY = (232, 232, 232)


def font_dir() -> Path:
    return Path(settings.BIRGE_FONT_DIR)


def fonts_missing() -> list[Path]:
    return [font_dir() / name for name in FONT_FILES.values() if not (font_dir() / name).is_file()]


def check_fonts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Birge does not start without the fonts of its documents."""
    missing = fonts_missing()
    if not missing:
        return []
    return [
        checks.Error(
            f"The fonts for PDF documents are missing: {', '.join(str(p) for p in missing)}.",
            hint="Install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core), "
            "or set BIRGE_FONT_DIR to a folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf.",
            id="web.E001",
        )
    ]


def clean(text: str) -> str:
    """`text` without the characters a page cannot show: control characters (tabs become
    spaces; line breaks stay) and invisible formatting ones (zero-width spaces, direction
    marks and overrides)."""
    out = []
    for ch in text or "":
        if ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    return "".join(out)


def document_date(value: datetime.date, language: str) -> str:
    """ "5 dekabr 2026", "5 декабря 2026", "5 December 2026". Django's formats give
    "5 Dekabr 2026" (Azerbaijani months are lower case inside a date), "5 декабря 2026
    г." and "Dec. 5, 2026"; a document wants the day, the month's name and the year."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    with translation.override(language):
        # Russian wants the genitive ("E": декабря), the others the name ("F").
        month = dateformat.format(value, "E" if language == "ru" else "F")
        if language == "az":
            # Azerbaijani lower case: İyun -> iyun (not i̇yun), I -> ı.
            month = month.replace("İ", "i").replace("I", "ı").lower()
    return f"{value.day} {month} {value.year}"


class Document(FPDF):
    """An A4 document in DejaVu Sans with neutral metadata and the optional lines of
    every page. Write with `heading`, `paragraph` and `field`; `pdf_bytes()` is the file."""

    def __init__(
        self,
        *,
        language: str,
        title: str = "",
        across: str = "",
        top: Sequence[str] = (),
        bottom: Sequence[str] = (),
        page_label: str = "",
        margin: float = 15,
        compress: bool = True,
    ):
        super().__init__(format="A4")
        self.compress = compress
        self.across = clean(across)
        self.top = [clean(line) for line in top]
        self.bottom = [clean(line) for line in bottom]
        self.page_label = page_label  # "Page %(page)s of %(pages)s", in the language
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(font_dir() / name))
        self.set_lang(language)
        if title:
            self.set_title(clean(title))
        self.set_creator("")
        self.set_producer("")
        self.set_creation_date(NEUTRAL_DATE)
        self.set_margins(margin, margin, margin)
        bottom_margin = margin + 3 + 4 * (len(self.bottom) + bool(page_label))
        self.set_auto_page_break(auto=True, margin=bottom_margin)
        if page_label:
            self.alias_nb_pages()
        self.set_font(FONT, "", 11)
        self.add_page()

    # Every page -----------------------------------------------------------------------

    def header(self) -> None:
        if self.across:
            # Across the page, light enough to read the text through it.
            self.set_font(FONT, "B", 64)
            self.set_text_color(*LIGHT_GREY)
            with self.rotation(45, x=self.w / 2, y=self.h / 2):
                self.text(
                    self.w / 2 - self.get_string_width(self.across) / 2, self.h / 2, self.across
                )
        if self.top:
            self.set_text_color(*RED)
            self.set_font(FONT, "B", 9)
            self.multi_cell(0, 5, self.top[0], new_x="LMARGIN", new_y="NEXT")
            self.set_font(FONT, "", 8)
            for line in self.top[1:]:
                self.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, "", 11)

    def footer(self) -> None:
        if not (self.bottom or self.page_label):
            return
        self.set_y(-(self.b_margin - 3))
        self.set_text_color(*RED)
        self.set_font(FONT, "", 8)
        for line in self.bottom:
            self.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        if self.page_label:
            label = self.page_label % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
            self.cell(0, 4, label, align="R")

    # Writing ----------------------------------------------------------------------------

    def heading(self, text: str, *, size: float = 13) -> None:
        self.set_font(FONT, "B", size)
        self.paragraph(text, height=size * 0.5 + 1, size=None)

    def paragraph(
        self, text: str, *, size: float | None = 11, bold: bool = False, height: float = 0
    ) -> None:
        """A paragraph that wraps; nothing when `text` is empty. `size` None keeps the
        current font."""
        if size is not None:
            self.set_font(FONT, "B" if bold else "", size)
        text = clean(text)
        if text:
            height = height or self.font_size_pt * 0.5 + 0.5
            # Ragged right: justified lines stretch around a long "[left out]" marker.
            self.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, text: str, *, size: float = 10) -> None:
        """A bold label over its text; nothing when the text is empty."""
        if not text:
            return
        self.paragraph(label, size=size, bold=True)
        self.paragraph(text, size=size)
        self.ln(1)

    def pdf_bytes(self) -> bytes:
        return bytes(self.output())
