"""The co-operation protocol as people read it: the page and the PDF (fpdf2, with DejaVu
Sans embedded for Azerbaijani and Cyrillic letters), in one of the three languages."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from birge.agencies.models import Agency, ProtocolVersion, ServiceKind
from birge.agencies.protocol import RISK_LEVEL_NAMES

FONT = "DejaVu"
# Letters a PDF font cannot draw and that mean nothing on paper (control characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Entry:
    label: str
    text: str
    promise: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    entries: list[Entry]


@dataclass(frozen=True)
class ProtocolDocument:
    language: str
    title: str
    subtitle: str
    sections: list[Section]


def _text(texts: dict, language: str) -> str:
    return (texts or {}).get(language) or (texts or {}).get("az") or ""


def protocol_document(version: ProtocolVersion, *, language: str) -> ProtocolDocument:
    """The version's content in the language, with headings from the interface catalogue."""
    content = version.content or {}
    with translation.override(language):
        kinds = dict(Agency.Kind.choices)
        services = dict(ServiceKind.choices)
        roles = [
            Entry(
                str(kinds.get(role["agency_kind"], role["agency_kind"])),
                _text(role["text"], language),
            )
            for role in content.get("roles", [])
        ]
        pathways = [
            _pathway(pathway, language, services) for pathway in content.get("pathways", [])
        ]
        codes = [contact["agency"] for contact in content.get("contacts", [])]
        agencies = {a.code: a.name for a in Agency.objects.filter(code__in=codes)}
        contacts = [
            Entry(
                agencies.get(contact["agency"], contact["agency"]), _text(contact["text"], language)
            )
            for contact in content.get("contacts", [])
        ]
        sharing = [Entry("", _text(content.get("information_sharing"), language))]
        return ProtocolDocument(
            language=language,
            title=_text(content.get("title"), language) or _("Co-operation protocol"),
            subtitle=_subtitle(version),
            sections=[
                Section(_("Roles and responsibilities"), roles),
                Section(_("Referral pathways and promised response times"), pathways),
                Section(_("Contact points"), contacts),
                Section(_("Information sharing"), sharing),
            ],
        )


def _pathway(pathway: dict, language: str, services: dict) -> Entry:
    label = str(services.get(pathway["service_kind"], pathway["service_kind"]))
    if pathway.get("min_risk"):
        label = _("%(service)s, from %(level)s risk up") % {
            "service": label,
            "level": str(RISK_LEVEL_NAMES[pathway["min_risk"]]).lower(),
        }
    hours = pathway["response_hours"]
    promise = ngettext("Answer within %(hours)d hour.", "Answer within %(hours)d hours.", hours) % {
        "hours": hours
    }
    return Entry(label, _text(pathway["situation"], language), promise)


def _subtitle(version: ProtocolVersion) -> str:
    line = _("Version %(number)d · %(status)s") % {
        "number": version.number,
        "status": version.get_status_display(),
    }
    if version.adopted_at:
        line += " · " + _("adopted on %(date)s by %(name)s") % {
            "date": formats.date_format(timezone.localtime(version.adopted_at), "DATE_FORMAT"),
            "name": version.adopted_by.display_name if version.adopted_by else "—",
        }
    return line


# The PDF ------------------------------------------------------------------------------------


@cache
def _font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def protocol_pdf(document: ProtocolDocument, *, compress: bool = True) -> bytes:
    pdf = FPDF(format="A4")
    pdf.compress = compress
    pdf.set_title(_clean(document.title))
    pdf.set_lang(document.language)
    pdf.set_creator("")
    pdf.set_producer("")
    pdf.add_font(FONT, "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    _paragraph(pdf, document.title, height=9)
    pdf.set_font(FONT, "", 10)
    _paragraph(pdf, document.subtitle, height=6)
    pdf.ln(4)
    for section in document.sections:
        pdf.set_font(FONT, "B", 14)
        _paragraph(pdf, section.heading, height=8)
        pdf.ln(1)
        for entry in section.entries:
            if entry.label:
                pdf.set_font(FONT, "B", 11)
                _paragraph(pdf, entry.label, height=6)
            pdf.set_font(FONT, "", 11)
            _paragraph(pdf, entry.text, height=6)
            if entry.promise:
                pdf.set_font(FONT, "B", 10)
                _paragraph(pdf, entry.promise, height=6)
            pdf.ln(2)
        pdf.ln(3)
    return bytes(pdf.output())


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _paragraph(pdf: FPDF, text: str, *, height: float) -> None:
    if text:
        pdf.multi_cell(0, height, _clean(text), new_x="LMARGIN", new_y="NEXT")
