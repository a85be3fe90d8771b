"""The case page's perpetrator section: each perpetrator, his page, and the serial flag.
`{% perpetrators_section case %}` after the conference section."""

from django import template

from birge.cases.models import CasePerson, Part
from birge.justice.perpetrators import serial_flags

register = template.Library()


def _perpetrators(context, case) -> list:
    """The case's perpetrators: those the case page has read already (as she may see
    them), or read here."""
    detail = context.get("d")
    participants = getattr(detail, "participants", None)
    if participants is not None and getattr(detail, "case", None) == case:
        return [p for p in participants if p.part == Part.PERPETRATOR]
    return list(
        CasePerson.objects.filter(case=case, part=Part.PERPETRATOR)
        .select_related("person")
        .order_by("id")
    )


@register.inclusion_tag("justice/perpetrators/_case_section.html", takes_context=True)
def perpetrators_section(context, case):
    """Links to each perpetrator's page, and, for one known as the perpetrator of other
    victims elsewhere, how many such cases: never who they are. One query for a case
    whose perpetrators are known nowhere else."""
    perpetrators = _perpetrators(context, case)
    flags = {
        flag.participant.pk: flag
        for flag in serial_flags(
            case=case, perpetrators=[getattr(p, "obj", p) for p in perpetrators]
        )
    }
    return {
        "case": case,
        "perpetrators": [(p, flags.get(p.pk)) for p in perpetrators],
        "request": context.get("request"),
    }
