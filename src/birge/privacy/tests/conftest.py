import base64

import pytest

K1 = "k1:" + base64.b64encode(bytes(range(32))).decode()
K2 = "k2:" + base64.b64encode(bytes(range(100, 132))).decode()


@pytest.fixture(autouse=True)
def _known_keys(settings):
    """Fixed keys, so that no test depends on the developer's var/ keys."""
    settings.BIRGE_ENCRYPTION_KEYS = [K1]
    settings.BIRGE_BLIND_INDEX_KEY = "a" * 64
