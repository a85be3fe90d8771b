"""The justice tests' cast: the cases tests' (birge/cases/tests/conftest.py) — agency A,
the Baku police (`officer`, `colleague`, `coordinator`, `lead`), agency B, a shelter
(`shelter`, `shelter_worker`), the Ganja police (`outsider`), the `analyst` — and their
`browse` and `api` clients."""

from birge.cases.tests.conftest import (  # noqa: F401 - the cast
    _fast_passwords,
    _known_keys,
    api,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
