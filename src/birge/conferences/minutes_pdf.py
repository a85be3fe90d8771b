"""The minutes as a PDF, on the one PDF base (birge.web.pdf). Every page says
"CONFIDENTIAL" and who downloaded it when, at its top and its bottom, and carries the
word across it: a page found on its own still says whose it was. What is on the minutes
is decided in birge.conferences.minutes."""

from django.utils import translation
from django.utils.translation import gettext as _

from birge.conferences.minutes import ItemMinutes, Minutes
from birge.web.pdf import Document


def minutes_pdf(minutes: Minutes, *, compress: bool = True) -> bytes:
    with translation.override(minutes.language):
        pdf = Document(
            language=minutes.language,
            title=minutes.title,
            across=minutes.confidential,
            top=[minutes.confidential, minutes.watermark],
            bottom=[minutes.watermark],
            page_label=_("Page %(page)s of %(pages)s"),
            compress=compress,
        )
        _front(pdf, minutes)
        for item in minutes.items:
            _item(pdf, item)
        _earlier(pdf, minutes)
        return pdf.pdf_bytes()


def _front(pdf: Document, minutes: Minutes) -> None:
    pdf.heading(minutes.title, size=16)
    pdf.paragraph(minutes.series)
    when = _("%(date)s at %(time)s") % {"date": minutes.date, "time": minutes.time}
    if minutes.place:
        when += " · " + minutes.place
    pdf.paragraph(when)
    pdf.paragraph(_("Chair: %(name)s") % {"name": minutes.chair})
    pdf.paragraph(minutes.status, bold=True)
    pdf.ln(3)

    pdf.heading(_("Attendance"))
    for attendee in minutes.attendees:
        pdf.paragraph(
            _("%(name)s, %(agency)s: accepted the confidentiality statement at %(time)s")
            % {"name": attendee.name, "agency": attendee.agency, "time": attendee.accepted_at},
            size=10,
        )
    pdf.paragraph(_present(minutes), size=10)
    pdf.ln(3)
    pdf.heading(_("Confidentiality statement"))
    pdf.paragraph(minutes.confidentiality, size=10)
    pdf.ln(3)
    pdf.heading(_("Cases"))
    if not minutes.items:
        pdf.paragraph(_("No cases were on the agenda."), size=10)


def _present(minutes: Minutes) -> str:
    line = _("Member agencies present: %(present)d; quorum: %(quorum)d.") % {
        "present": minutes.agencies_present,
        "quorum": minutes.quorum,
    }
    if not minutes.quorum_reached:
        line += " " + _("The quorum was not reached.")
    return line


def _item(pdf: Document, item: ItemMinutes) -> None:
    pdf.ln(2)
    pdf.heading(f"{item.number}. {item.reference}", size=12)
    if item.sealed:
        pdf.paragraph(_("This case is sealed: what was said is kept in the case record."), size=10)
        return
    if item.deferred:
        pdf.paragraph(_("Deferred to a later meeting."), size=10)
        return
    facts = [
        _("Risk level: %(level)s") % {"level": item.risk_level or "—"},
        _("Criterion: %(criterion)s") % {"criterion": item.criterion},
        _("Outcome: %(outcome)s") % {"outcome": item.outcome},
    ]
    if item.repeat:
        facts.append(_("Repeat case"))
    pdf.paragraph(" · ".join(facts), size=10)
    pdf.ln(1)
    pdf.field(_("Summary"), item.summary)
    pdf.field(_("The victim's view"), item.victim_view)
    pdf.field(_("Risks identified"), item.risks)
    if item.actions:
        pdf.paragraph(_("Actions"), size=10, bold=True)
        for number, action in enumerate(item.actions, start=1):
            pdf.paragraph(f"{item.number}.{number}. {action.text}", size=10)
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
                },
                size=9,
            )
            pdf.ln(1)


def _earlier(pdf: Document, minutes: Minutes) -> None:
    pdf.ln(3)
    pdf.heading(_("Open actions from earlier meetings"))
    if not minutes.earlier_actions:
        pdf.paragraph(_("None."), size=10)
    for action in minutes.earlier_actions:
        line = _("%(reference)s · %(agency)s · due %(due)s") % {
            "reference": action.reference,
            "agency": action.agency,
            "due": action.due,
        }
        if action.overdue:
            line += " · " + _("overdue")
        pdf.paragraph(line, size=10)
