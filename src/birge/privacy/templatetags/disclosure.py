"""`{{ figure|shown }}`: a birge.privacy.disclosure Figure as a page shows it."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.filter
def shown(figure, digits: str = "0g"):
    """The figure's value (`digits` as for floatformat; a trailing "%" adds one), or the
    neutral marker when it is hidden. The value of a hidden figure is never there."""
    if figure is None:
        return ""
    if not figure.shown:
        return format_html('<span class="muted suppressed">{}</span>', gettext("suppressed"))
    percent = digits.endswith("%")
    text = floatformat(figure.value, digits.removesuffix("%"))
    return f"{text}%" if percent else text
