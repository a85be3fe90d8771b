from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from birge.cases.models import ViolenceForm
from birge.cases.templatetags.levels import level_badge

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


@register.simple_tag
def case_list_rows(rows, cases_url: str) -> SafeString:
    """The case list's rows, built in Python like Django admin's result list: fifty rows
    through the template engine cost more than everything else on the page together.
    Every value is escaped by format_html."""
    sealed = format_html(' <span class="badge">{}</span>', _("sealed"))
    cells = []
    for row in rows:
        case = row.case
        coordinator = case.coordinator.display_name if case.coordinator_id else ""
        cells.append(
            format_html(
                '<tr><td><a href="{}{}/">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td><td>{}</td></tr>",
                cases_url,
                case.pk,
                case.reference,
                sealed if case.sealed else "",
                format_html("<bdi>{}</bdi>", row.victim.person.full_name) if row.victim else "—",
                case.get_status_display(),
                level_badge(case.risk_level),
                case.region.name,
                timezone.localtime(case.opened_at).strftime("%Y-%m-%d"),
                coordinator or "—",
            )
        )
    return mark_safe("\n".join(cells))  # noqa: S308 - each row is format_html's
