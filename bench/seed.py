"""Fallback loader for the web benchmark: N cases through the real registration service.

Used only when `birge demo --cases N` is not available. It goes through
birge.cases.services.case_register (blind indexes, audit chain, consent, circle), so it
is slow (tens of cases per second): fine for a few thousand cases, not for a million.

    DJANGO_SETTINGS_MODULE=birge.settings python bench/seed.py 5000
"""

import os
import random
import sys
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birge.settings")
# A batch job, as the `birge` commands are: the longer statement time limit.
os.environ.setdefault("BIRGE_DB_COMMAND", "1")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from birge.agencies.models import Agency, User  # noqa: E402
from birge.cases.models import Case, CircleMember  # noqa: E402
from birge.cases.services import case_register  # noqa: E402
from birge.demo.services import demo_load  # noqa: E402

FEMALE = ["Aysel", "Günel", "Leyla", "Nərmin", "Səbinə", "Aynur", "Könül", "Lalə", "Sevinc"]
MALE = ["Elnur", "Rəşad", "Orxan", "Tural", "Samir", "Fərid", "Vüqar", "Elşən", "Kamran"]
LAST = ["Məmmədov", "Əliyev", "Həsənov", "Quliyev", "Hüseynov", "Kazımov", "Rzayev", "Orucov"]
FORMS = ["physical", "psychological", "economic", "sexual", "stalking", "digital"]
# Registering users (all can create cases) and the agencies their cases are shared with.
REGISTRARS = ["officer", "colleague", "coordinator", "shelter", "legal", "outsider"]
PARTNERS = ["mlspp-baku", "shelter-baku", "police-baku", "legal-aid-ganja", "psy-sumgait"]


def _person(rng: random.Random, female: bool) -> dict:
    last = rng.choice(LAST) + ("a" if female else "")
    first = rng.choice(FEMALE if female else MALE)
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
    phone = f"+99450{rng.randrange(1000000, 9999999)}"
    return {
        "first_name": first,
        "last_name": last,
        "birth_date": birth,
        "sex": "female" if female else "male",
        "phone": phone,
        "address": f"Bakı, {rng.randrange(1, 200)} küçə",
    }


def seed(target: int) -> int:
    demo_load()
    rng = random.Random(Case.objects.count())  # noqa: S311 - synthetic data
    users = {u.username: u for u in User.objects.filter(username__in=REGISTRARS)}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=PARTNERS)}
    made = 0
    while Case.objects.count() < target:
        actor = users[rng.choice(REGISTRARS)]
        partners = [a for a in rng.sample(list(agencies.values()), 2) if a.pk != actor.agency_id]
        registration = case_register(
            actor=actor,
            victim=_person(rng, True),
            perpetrator=_person(rng, False),
            relationship=rng.choice(["spouse", "former_spouse", "partner"]),
            incident={
                "occurred_on": timezone.localdate() - timedelta(days=rng.randrange(1, 900)),
                "forms": rng.sample(FORMS, 2),
                "narrative": "Synthetic incident for the benchmark.",
            },
        )
        # The circle grows by referral in real life; here directly, for speed.
        CircleMember.objects.bulk_create(
            CircleMember(
                case=registration.case,
                agency=agency,
                route=CircleMember.Route.SHARE,
                basis=CircleMember.Basis.HIGH_RISK,
                reason="benchmark",
                added_by=actor,
            )
            for agency in partners
        )
        made += 1
        if made % 500 == 0:
            sys.stdout.write(f"  {made} cases registered\n")
            sys.stdout.flush()
    return made


if __name__ == "__main__":
    seed(int(sys.argv[1]))
