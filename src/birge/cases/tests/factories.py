"""Cases made the way people make them: through `services.case_register`.

The data factories build the dictionaries the registration form hands to the service; every
person gets a name from a list, a birth date and a phone of her own, so that two cases share
a person only when a test says so.
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from birge.cases import services
from birge.cases.models import Case, ViolenceForm

FIRST_NAMES = ["Aysel", "Günel", "Leyla", "Nərmin", "Səbinə", "Lalə", "Xədicə", "Türkan"]
LAST_NAMES = ["Əliyeva", "Hüseynova", "Quliyeva", "Rzayeva", "Kərimova", "Cəfərova", "Nəsirova"]
MEN_FIRST = ["Rəşad", "Elçin", "Vüqar", "Tural", "Orxan", "Samir", "Kamran"]
MEN_LAST = ["Əliyev", "Hüseynov", "Quliyev", "Rzayev", "Kərimov", "Cəfərov", "Nəsirov"]


class VictimDataFactory(factory.DictFactory):
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    birth_date = factory.Sequence(lambda n: date(1985, 1, 1) + timedelta(days=37 * n))
    sex = "female"
    phone = factory.Sequence(lambda n: f"+994 50 {2000000 + n:07d}")
    address = factory.Sequence(lambda n: f"Nizami küçəsi {n + 1}, mənzil 4")


class PerpetratorDataFactory(factory.DictFactory):
    first_name = factory.Iterator(MEN_FIRST)
    last_name = factory.Iterator(MEN_LAST)
    birth_date = factory.Sequence(lambda n: date(1980, 6, 1) + timedelta(days=41 * n))
    sex = "male"
    phone = factory.Sequence(lambda n: f"+994 55 {3000000 + n:07d}")


class IncidentDataFactory(factory.DictFactory):
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    place = "Yasamal rayonu, evdə"
    forms = factory.LazyFunction(lambda: [ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL])
    injuries = True
    weapon = "none"
    children_present = False
    children_witnessed = False
    narrative = "He pushed her against the wall after an argument about money."


class CaseFactory(factory.Factory):
    """`CaseFactory(actor=officer)` registers a case as the officer would, and returns it.

    `victim`, `perpetrator` and `incident` take dictionaries (or the data factories'
    defaults); `consent` takes the service's keyword arguments."""

    class Meta:
        model = Case

    actor = None
    victim = factory.SubFactory(VictimDataFactory)
    perpetrator = factory.SubFactory(PerpetratorDataFactory)
    relationship = "spouse"
    incident = factory.SubFactory(IncidentDataFactory)
    children = factory.LazyFunction(list)
    consent = None
    idempotency_key = ""

    @classmethod
    def _create(cls, model_class, *, actor, **kwargs) -> Case:
        assert actor is not None, "CaseFactory needs the user who registers the case"
        return services.case_register(actor=actor, **kwargs).case


def register_case(actor, **kwargs) -> Case:
    """A case registered by `actor`; keyword arguments override the factories' data."""
    for part, data_factory in (
        ("victim", VictimDataFactory),
        ("perpetrator", PerpetratorDataFactory),
        ("incident", IncidentDataFactory),
    ):
        if isinstance(kwargs.get(part), dict):
            kwargs[part] = data_factory(**kwargs[part])
    return CaseFactory(actor=actor, **kwargs)


def consent_for(*agencies, location: bool = False, days: int = 180) -> dict:
    """Keyword arguments for a consent given today that covers `agencies`."""
    today = timezone.localdate()
    return {
        "agencies": list(agencies),
        "given_on": today,
        "valid_until": today + timedelta(days=days),
        "share_case_record": True,
        "share_location": location,
    }


def registration_form(
    *,
    victim: dict | None = None,
    perpetrator: dict | None = None,
    children: list[dict] | None = None,
    incident: dict | None = None,
    consent: dict | None = None,
    idempotency_key: str = "",
) -> dict:
    """What the browser posts on /cases/new/: `victim` and the others are the fields a
    person types (unprefixed); select boxes she leaves alone post their initial value."""
    today = timezone.localdate()
    data = {
        "idempotency_key": idempotency_key,
        "victim-sex": "female",
        "perpetrator-sex": "male",
        "incident-weapon": "none",
        "incident-occurred_on": (today - timedelta(days=2)).isoformat(),
        "incident-forms": ["physical"],
        "consent-share_case_record": "on",
        "consent-given_on": today.isoformat(),
        "children-TOTAL_FORMS": str(len(children or [])),
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "12",
    }
    victim = {"first_name": "Aysel", "last_name": "Əliyeva", **(victim or {})}
    for prefix, values in (
        ("victim", victim),
        ("perpetrator", perpetrator or {}),
        ("incident", incident or {}),
        ("consent", consent or {}),
    ):
        data.update({f"{prefix}-{name}": value for name, value in values.items()})
    for number, child in enumerate(children or []):
        data[f"children-{number}-sex"] = "unknown"
        data.update({f"children-{number}-{name}": value for name, value in child.items()})
    return data
