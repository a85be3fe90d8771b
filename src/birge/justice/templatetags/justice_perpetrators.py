"""The case page's perpetrator section: each perpetrator, his page, and the serial flag.
`{% perpetrators_section case %}` after the conference section."""

from django import template

from birge.cases.models import CasePerson, Part
from birge.justice.perpetrators import serial_flags

register = template.Library()


@register.inclusion_tag("justice/perpetrators/_case_section.html", takes_context=True)
def perpetrators_section(context, case):
    """Links to each perpetrator's page, and, for one known as the perpetrator of other
    victims elsewhere, how many such cases: never who they are."""
    flags = {flag.participant.pk: flag for flag in serial_flags(case=case)}
    perpetrators = [
        (participant, flags.get(participant.pk))
        for participant in CasePerson.objects.filter(case=case, part=Part.PERPETRATOR)
        .select_related("person")
        .only(
            "pk",
            "case_id",
            "part",
            "relationship",
            "person__first_name",
            "person__last_name",
            "person__patronymic",
        )
        .order_by("id")
    ]
    return {"case": case, "perpetrators": perpetrators, "request": context.get("request")}
