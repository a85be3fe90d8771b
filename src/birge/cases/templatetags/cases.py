from html import escape

from django import template
from django.utils import timezone
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
    through the template engine cost more than everything else on the page together (and
    format_html's per-argument work about a fifth of the page). Every value that is not
    already safe markup (the level badge) is escaped here, with the standard library's
    html.escape, as Django's own escape does."""
    sealed = f' <span class="badge">{escape(_("sealed"))}</span>'
    base = escape(cases_url)
    # Each cell names its column (data-label): on a phone the rows stack and show it.
    number, victim_td, status, level, region, opened, coordinator_td = (
        f'<td data-label="{escape(header)}">'
        for header in (
            _("Case number"),
            _("Victim"),
            _("Status"),
            _("Risk level"),
            _("Region"),
            _("Opened"),
            _("Coordinator"),
        )
    )
    cells = []
    for row in rows:
        case = row.case
        victim = f"<bdi>{escape(str(row.victim.person.full_name))}</bdi>" if row.victim else "—"
        coordinator = case.coordinator.display_name if case.coordinator_id else ""
        cells.append(
            f'<tr>{number}<a href="{base}{case.pk}/">{escape(case.reference)}</a>'
            f"{sealed if case.sealed else ''}</td>{victim_td}{victim}</td>"
            f"{status}{escape(str(case.get_status_display()))}</td>"
            f"{level}{level_badge(case.risk_level)}</td>{region}{escape(str(case.region.name))}</td>"
            f"{opened}{timezone.localtime(case.opened_at).strftime('%Y-%m-%d')}</td>"
            f"{coordinator_td}{escape(coordinator) if coordinator else '—'}</td></tr>"
        )
    return mark_safe("\n".join(cells))  # noqa: S308 - every value above is escaped
