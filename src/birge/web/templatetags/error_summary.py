"""GOV.UK's error summary: "There is a problem" above a form, each error a link to its field.

`web/_form.html` shows it for its form; a page with several forms (or a formset) shows one
for all of them with `{% error_summary form1 form2 formset %}` and includes each form with
`summary=False`.
"""

from django import forms, template

register = template.Library()


def _entries(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(anchor, message) for every error of a form, in the order of its fields."""
    entries = [("", str(message)) for message in form.non_field_errors()]
    for bound in form:
        if not bound.errors:
            continue
        # A list of checkboxes or radios has no single id: its first box stands for it.
        anchor = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
        entries.extend((anchor, str(message)) for message in bound.errors)
    return entries


def error_entries(*forms_or_formsets) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            entries.extend(("", str(message)) for message in item.non_form_errors())
            for form in item:
                entries.extend(_entries(form))
        elif isinstance(item, forms.BaseForm) and item.is_bound:
            entries.extend(_entries(item))
        # Anything else is a name the page does not have (an empty string): nothing to say.
    return entries


@register.inclusion_tag("web/_error_summary.html")
def error_summary(*forms_or_formsets) -> dict:
    return {"entries": error_entries(*forms_or_formsets)}
