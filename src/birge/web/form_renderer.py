"""Forms rendered as Django renders them, with the select lists built in Python.

Django renders a <select> through a template that includes another template for each
option; a region list of eighty districts then costs more than the rest of a form. This
renderer builds exactly the markup of Django's `select.html` and `select_option.html`
(escaped the same way: `conditional_escape`) and leaves every other widget to the
templates. settings.FORM_RENDERER names it.
"""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict[str, Any]) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True names it bare.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def select_html(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name", OPTION) != OPTION:  # a custom option template
                return ""
            parts.append(_option(option))
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "\n".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request=None) -> SafeString:
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html:
                return mark_safe(html)  # noqa: S308 - every value is escaped above
        return super().render(template_name, context, request=request)
