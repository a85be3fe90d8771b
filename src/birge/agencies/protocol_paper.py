"""The co-operation protocol as people read it: the page and the PDF (on the one PDF
base, birge.web.pdf), in one of the three languages."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birge.agencies.models import Agency, ProtocolVersion, ServiceKind
from birge.agencies.protocol import RISK_LEVEL_NAMES
from birge.web.pdf import Document, document_date


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
            subtitle=_subtitle(version, language),
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


def _subtitle(version: ProtocolVersion, language: str) -> str:
    line = _("Version %(number)d · %(status)s") % {
        "number": version.number,
        "status": version.get_status_display(),
    }
    if version.adopted_at:
        line += " · " + _("adopted on %(date)s by %(name)s") % {
            "date": document_date(version.adopted_at, language),
            "name": version.adopted_by.display_name if version.adopted_by else "—",
        }
    return line


# The PDF ------------------------------------------------------------------------------------


def protocol_pdf(document: ProtocolDocument, *, compress: bool = True) -> bytes:
    pdf = Document(language=document.language, title=document.title, compress=compress)
    pdf.paragraph(document.title, size=18, bold=True, height=9)
    pdf.paragraph(document.subtitle, size=10)
    pdf.ln(4)
    for section in document.sections:
        pdf.paragraph(section.heading, size=14, bold=True, height=8)
        pdf.ln(1)
        for entry in section.entries:
            pdf.paragraph(entry.label, size=11, bold=True)
            pdf.paragraph(entry.text, size=11)
            pdf.paragraph(entry.promise, size=10, bold=True, height=6)
            pdf.ln(2)
        pdf.ln(3)
    return pdf.pdf_bytes()
