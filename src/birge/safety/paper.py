"""Her copy of the plan: what is printed or put in the PDF she takes home.

A paper can be found by the person she is hiding from. So her copy carries the plan's
sections and nothing else from the case: no name, no case reference, no address, no
shelter location, none of the agencies' actions or notes. And because a worker may have
typed the address or the shelter's location into a section, every occurrence of those is
blanked out of the text as well.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birge.cases.models import CasePerson
from birge.safety.models import SECTIONS, SafetyPlan, SafetyPlanRevision

TITLE = gettext_lazy("My safety plan")
WITHHELD = gettext_lazy("[left out for your safety]")
KEEP_SAFE = gettext_lazy(
    "Keep this paper where only you can find it. In danger, call 102 (police) or 112."
)
# Letters a PDF font cannot draw and that mean nothing on paper (control characters).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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


def withheld_strings(*, plan: SafetyPlan) -> list[str]:
    """What must never be on her copy: every address and shelter location in the case."""
    found = []
    for part in CasePerson.objects.filter(case_id=plan.case_id).select_related("person"):
        found += [part.shelter_location, part.person.address]
    return [text.strip() for text in found if text and text.strip()]


def _blank_out(text: str, withheld: Iterable[str]) -> str:
    # Longest first, so that a shelter address inside a longer one goes as a whole.
    for secret in sorted(set(withheld), key=len, reverse=True):
        text = re.sub(re.escape(secret), str(WITHHELD), text, flags=re.IGNORECASE)
    return _CONTROL.sub("", text)


def safety_plan_paper(
    *, revision: SafetyPlanRevision, language: str, withheld: Iterable[str]
) -> Paper:
    """The headings and texts of her copy, in her language. Sections left empty are not
    printed. A pure function of its arguments: what it leaves out is tested here."""
    withheld = list(withheld)
    with translation.override(language):
        blocks = [
            Block(heading=str(label), text=_blank_out(text, withheld))
            for (name, label) in SECTIONS
            if (text := getattr(revision, name))
        ]
        date = formats.date_format(timezone.localtime(revision.created_at), "DATE_FORMAT")
        return Paper(
            language=language,
            title=str(TITLE),
            subtitle=_("Updated on %(date)s") % {"date": date},
            blocks=blocks,
            footer=str(KEEP_SAFE),
        )
