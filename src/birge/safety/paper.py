"""Her copy of the plan: what is printed or put in the PDF she takes home.

A paper can be found by the person she is hiding from. So her copy carries the plan's
sections and nothing else from the case: no name, no case reference, no address, no
shelter location, none of the agencies' actions or notes. And because a worker may have
typed a name or a place into a section, every passage that names a person or a place of
the case (birge.privacy.redaction: any spelling, script or ending, street types and their
abbreviations, house and flat numbers) is left out of the text as well, whenever the
plan was written: the check when a plan is saved helps the writer, this is the guarantee.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birge.privacy.redaction import Redactor
from birge.safety.models import SECTIONS, SafetyPlanRevision
from birge.web.pdf import document_date

TITLE = gettext_lazy("My safety plan")
WITHHELD = gettext_lazy("[left out for your safety]")
KEEP_SAFE = gettext_lazy(
    "Keep this paper where only you can find it. In danger, call 102 (police) or 112."
)
# The download's name: the same for every plan, in every language, and says nothing.
FILE_NAME = "document.pdf"


@dataclass(frozen=True)
class Block:
    heading: str
    text: str


@dataclass(frozen=True)
class Paper:
    language: str
    title: str
    subtitle: str
    blocks: list[Block]
    footer: str


def safety_plan_paper(*, revision: SafetyPlanRevision, language: str, redactor: Redactor) -> Paper:
    """The headings and texts of her copy, in her language, with every passage that
    `redactor` finds left out. Sections left empty are not printed. A pure function of
    its arguments: what it leaves out is tested here."""
    with translation.override(language):
        withheld = str(WITHHELD)
        blocks = [
            Block(heading=str(label), text=redactor.redact(text, marker=withheld))
            for (name, label) in SECTIONS
            if (text := getattr(revision, name))
        ]
        return Paper(
            language=language,
            title=str(TITLE),
            subtitle=_("Updated on %(date)s")
            % {"date": document_date(revision.created_at, language)},
            blocks=blocks,
            footer=str(KEEP_SAFE),
        )
