"""The session report as a PDF, on the one PDF base (birge.web.pdf)."""

from django.utils import translation
from django.utils.translation import gettext as _

from birge.training.report import Count, SessionReport
from birge.web.pdf import Document


def _counts(counts: list[Count]) -> str:
    return " · ".join(f"{c.label}: {c.count}" + (" ✓" if c.reference else "") for c in counts)


def report_pdf(report: SessionReport, *, compress: bool = True) -> bytes:
    with translation.override(report.language):
        title = _("Training session report")
        training = _("TRAINING — synthetic case study, not a real case")
        pdf = Document(
            language=report.language,
            title=title,
            top=[training],
            bottom=[training],
            page_label=_("Page %(page)s of %(pages)s"),
            compress=compress,
        )
        pdf.heading(title, size=16)
        pdf.paragraph(report.title)
        pdf.paragraph(_("Case study: %(title)s") % {"title": report.case_study})
        pdf.paragraph(report.summary, size=10)
        pdf.paragraph(_("Participants: %(n)d") % {"n": report.participants}, size=10)
        for stage in report.stages:
            pdf.ln(3)
            pdf.heading(f"{stage.number}. {stage.title}", size=12)
            pdf.paragraph(stage.facts, size=10)
            pdf.paragraph(_("Answers: %(n)d") % {"n": stage.answered}, size=10, bold=True)
            pdf.field(_("Levels chosen (✓ the reference)"), _counts(stage.levels))
            pdf.field(_("Reasoning"), stage.risk_reasoning)
            if stage.items:
                pdf.paragraph(_("Questions answered differently"), size=10, bold=True)
                for item in stage.items:
                    pdf.paragraph(f"{item.label}: {_counts(item.counts)}", size=9)
            pdf.field(_("Safety plan actions proposed"), "\n".join(stage.actions))
            pdf.field(_("Reference actions"), "\n".join(stage.reference_actions))
            pdf.field(_("Referral or sharing (✓ the reference)"), _counts(stage.referrals))
            pdf.field(_("Reference decision"), f"{stage.decision} {stage.referral_reasoning}")
            pdf.field(
                _("Refer to the risk conference (✓ the reference)"), _counts(stage.conference)
            )
            pdf.field(_("Why"), stage.conference_reasoning)
            if stage.own:
                pdf.field(
                    _("Your answers"),
                    "\n".join(
                        [
                            _("Level: %(level)s") % {"level": stage.own.level},
                            *stage.own.actions,
                            stage.own.referral,
                        ]
                    ),
                )
        pdf.ln(3)
        pdf.field(_("Points discussed"), report.points)
        return pdf.pdf_bytes()
