import base64
import binascii
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

K1 = "k1:" + base64.b64encode(bytes(range(32))).decode()
K2 = "k2:" + base64.b64encode(bytes(range(100, 132))).decode()


@pytest.fixture(autouse=True)
def _known_keys(settings):
    """Fixed keys, so that no test depends on the developer's var/ keys."""
    settings.BIRGE_ENCRYPTION_KEYS = [K1]
    settings.BIRGE_BLIND_INDEX_KEY = "a" * 64


def column_bound_token(plaintext: str, *, context: str, entry: str = K1) -> str:
    """A v1 token as Birge wrote them before tokens were bound to rows: AES-256-GCM with
    the column's context alone as associated data (written out here, independently of
    birge.privacy.keys, the way an old database holds them)."""
    kid, _, key = entry.partition(":")
    nonce = os.urandom(12)
    sealed = AESGCM(base64.b64decode(key)).encrypt(nonce, plaintext.encode(), context.encode())
    body = binascii.b2a_base64(nonce + sealed, newline=False).decode()
    return f"v1.{kid}.{body.replace('+', '-').replace('/', '_')}"


@pytest.fixture(scope="module")
def tables(django_db_setup, django_db_blocker):
    """The tables of birge.privacy.tests.rows, for the tests of one module."""
    from birge.privacy.tests import rows

    with django_db_blocker.unblock():
        rows.tables_create()
    yield rows
    with django_db_blocker.unblock():
        rows.tables_drop()
