"""A risk level on screen, the same everywhere: `{% level_badge code %}`.

Each level has its own word, colour, icon and frame (birge/css/levels.css), so that no
two look alike, in colour, in grey-scale, on paper or read aloud: standard an empty
circle on white, medium a half-filled circle on amber, high a warning triangle on red,
critical a stop sign on near-black, framed and in capitals. The icon is decoration
(hidden from screen readers); the word is what is read. No level is not a level: it
reads "not assessed", never a badge.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from birge.cases.models import RiskLevel

register = template.Library()

LABELS = dict(RiskLevel.choices)


@register.simple_tag
def level_badge(code: str | None, empty: str = "", label: str = "") -> SafeString:
    """The badge of a level code. `empty`: what stands for no level ("not assessed");
    `label`: the word, when the caller already has it in another language (the minutes).
    A list shows fifty: each badge is drawn once per language and then remembered."""
    return mark_safe(_badge(code or "", str(empty), str(label), get_language()))  # noqa: S308


@lru_cache(maxsize=512)
def _badge(code: str, empty: str, label: str, language: str | None) -> str:
    """(`language` is the active one, passed so that it is part of what is remembered.)"""
    if not code:
        context = {"empty": empty or _("not assessed")}
    else:
        known = code in LABELS
        context = {
            "code": code if known else "other",
            "label": label or (LABELS[code] if known else code),
        }
    # The template escapes what it shows; stripped of its final newline, so that a badge
    # sits in a sentence without a space after it.
    return render_to_string("cases/_level_badge.html", context).strip()
