"""A serial perpetrator in the demo: the same man (by name and date of birth) in a case
of the Baku police and in one of the Ganja police, with two different women. Each
agency sees only its own case on his page; both coordinators are told he is known
elsewhere with another victim. Made through the registration service, so it is matched,
flagged and audited like real work; safe to run again (an idempotency key per user)."""

from datetime import date, timedelta

from django.utils import timezone

from birge.agencies.models import User
from birge.cases.models import ViolenceForm
from birge.cases.services import case_register

KEY = "demo-serial-perpetrator"
HIM = {
    "first_name": "Vüsal",
    "last_name": "Kərimli",
    "birth_date": date(1981, 4, 12),
    "sex": "male",
}
# username, the victim (invented), the incident's place and what happened (synthetic).
CASES = [
    (
        "officer",
        {"first_name": "Məleykə", "last_name": "Sadıqova", "birth_date": date(1988, 9, 3)},
        "Nəsimi rayonu, evdə",
        "Mübahisədən sonra onu itələyib hədələdi (sintetik).",
    ),
    (
        "outsider",
        {"first_name": "Aytən", "last_name": "Bağırova", "birth_date": date(1993, 1, 21)},
        "Gəncə, Kəpəz rayonu",
        "Telefonla təqib etdi və evinin qarşısında gözlədi (sintetik).",
    ),
]


def serial_perpetrator_load() -> bool:
    """Register his two cases, when their users exist. True when anything was added."""
    added = False
    for username, victim, place, narrative in CASES:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            return added
        registration = case_register(
            actor=actor,
            victim={**victim, "sex": "female"},
            perpetrator=dict(HIM),
            relationship="former_partner",
            incident={
                "occurred_on": timezone.localdate() - timedelta(days=4),
                "place": place,
                "forms": [ViolenceForm.PHYSICAL, ViolenceForm.STALKING],
                "narrative": narrative,
            },
            idempotency_key=KEY,
        )
        added = added or not registration.repeated
    return added
