"""The training tests' cast, on top of the project's (birge/conftest.py).

- `trainer`: the coordinating body's trainer, who facilitates
- `officer`, `colleague` (Baku police) and `outsider` (Ganja police): participants, or not
"""

import pytest
from django.utils import translation

from birge.agencies.tests.factories import AgencyFactory, UserFactory
from birge.cases.tests.conftest import _known_keys, browse  # noqa: F401 - the cast
from birge.training import services


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def trainer(db):
    body = AgencyFactory(code="scfwca", kind="coordinating_body")
    return UserFactory(username="trainer", agency=body, roles=["trainer"])


@pytest.fixture
def session(trainer):
    """The strangulation case study, its three stages, none released yet, in English."""
    return services.session_open(
        actor=trainer,
        title="Baku course, December",
        case_study="strangulation-separation",
        stages=["first-contact", "new-incident", "breach"],
        language="en",
    )


def answers_all(answer: str, **chosen) -> dict:
    from birge.training.casestudy import case_study_get

    study = case_study_get("strangulation-separation")
    return {f"item_{i.id}": chosen.get(i.id, answer) for i in study.instrument.items}
