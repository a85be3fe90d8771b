"""`{{ value|shown }}`: a field read through her consent scopes, or the neutral marker."""

from typing import Any

from django import template
from django.utils.html import format_html

from birge.access.fields import HIDDEN

register = template.Library()


@register.filter
def shown(value: Any, empty: str = "—") -> Any:
    if value is HIDDEN:
        return format_html(
            '<span class="hidden-field" title="{}">{}</span>', HIDDEN.explanation, HIDDEN.label
        )
    if value in (None, ""):
        return empty
    return value


@register.filter
def is_hidden(value: Any) -> bool:
    return value is HIDDEN
