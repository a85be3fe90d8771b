# The cases tests' cast (agency A's coordinator, the shelter and its worker, a browser per
# person, fixed keys) serves the access policy's tests too.
from birge.cases.tests.conftest import (  # noqa: F401
    _fast_passwords,
    _known_keys,
    browse,
    case,
    coordinator,
    shelter,
    shelter_worker,
)
