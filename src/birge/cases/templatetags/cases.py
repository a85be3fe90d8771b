from django import template

from birge.cases.models import ViolenceForm

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def violence_form(code: str) -> str:
    try:
        return ViolenceForm(code).label
    except ValueError:
        return code
