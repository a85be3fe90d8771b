"""What a person may type: no invisible or direction-changing characters.

A right-to-left override (U+202E) in a name is stored and rendered as typed, and then it
reorders what follows it: a "name" can display as a case reference in the victim column of
the case list. Azerbaijani, Russian and English text never needs these characters, so:

- one-line fields (names, references, phone numbers, places, titles) refuse every invisible
  or direction-changing character (bidirectional embeddings, overrides and isolates,
  direction marks, zero-width characters, the soft hyphen, the byte-order mark) and every
  control character, line breaks included;
- free text (narratives, reasons, notes) refuses the bidirectional controls and the control
  characters other than line breaks and tabs; zero-width joiners may stay (emoji use them).

Pages also isolate what people typed (`<bdi>`, and `unicode-bidi: isolate` in the
stylesheet), so that text stored before this check cannot reorder its neighbours.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = re.compile(
    f"[{BIDI_CONTROLS}\u00ad\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\ufeff\x00-\x1f\x7f-\x9f]"
)
IN_FREE_TEXT = re.compile(f"[{BIDI_CONTROLS}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MESSAGE = _(
    "Remove the invisible or direction-changing characters from this field "
    "(they can make the text look like something else)."
)
LINE_BREAK = _("Write this on one line.")


def validate_one_line(value: str) -> None:
    if not isinstance(value, str):
        return
    found = INVISIBLE.search(value)
    if found is None:
        return
    if found.group() in "\r\n":
        raise ValidationError(LINE_BREAK, code="line_break")
    raise ValidationError(MESSAGE, code="invisible")


def validate_free_text(value: str) -> None:
    if isinstance(value, str) and IN_FREE_TEXT.search(value):
        raise ValidationError(MESSAGE, code="invisible")


def visible_only(text: str) -> str:
    """The text without the characters one-line fields refuse, for showing what was stored
    before they were refused."""
    return INVISIBLE.sub("", text)
