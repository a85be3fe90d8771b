"""Encryption keys for personal data at rest, and the token format they produce.

`settings.BIRGE_ENCRYPTION_KEYS` lists "kid:base64-of-32-bytes" entries: the first one
encrypts, every one decrypts, so a new key goes first and old ones stay until `birge keys
rotate` has re-encrypted everything.

A token is `v2.<kid>.<urlsafe-base64(nonce + ciphertext + tag)>`: AES-256-GCM with a
random 96-bit nonce and, as associated data, "<context>#<row>" (for a model field
"app_label.model.field#<primary key>"), so a value copied into another row, column or
table does not decrypt. The earlier `v1` tokens were bound to their column only
("app_label.model.field"): they are no longer read, only re-encrypted as v2 by `birge
keys rotate` (and by the privacy app's migration), since a v1 token copied into another
row of its column would still decrypt.
"""

import base64
import binascii
import os
import re
from collections.abc import Iterable
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

VERSION = "v2"  # bound to context and row
COLUMN_BOUND = "v1"  # bound to the context only: re-encrypted, never read
KEY_ID = re.compile(r"[a-z0-9]{1,16}")
_TOKEN = re.compile(r"(v1|v2)\.([a-z0-9]{1,16})\.([A-Za-z0-9_-]+={0,2})")
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")
_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(Exception):
    """A token could not be decrypted: bad format, unknown key, wrong context or tampering.

    The message never contains the token or any part of a key.
    """


class Keyring:
    """AES-GCM ciphers for every configured key; the first key encrypts."""

    def __init__(self, keys: Iterable[tuple[str, bytes]]) -> None:
        keys = list(keys)
        if not keys:
            raise ImproperlyConfigured("BIRGE_ENCRYPTION_KEYS is empty; it needs at least one key.")
        self.current_id: str = keys[0][0]
        # One AESGCM object per key, built once: no per-value key setup.
        self._ciphers: dict[str, AESGCM] = {kid: AESGCM(key) for kid, key in keys}
        self._current = self._ciphers[self.current_id]
        self._prefix = f"{VERSION}.{self.current_id}."

    @classmethod
    def from_setting(cls, entries: str | Iterable[str]) -> "Keyring":
        """Parse "kid:base64" entries; errors name the entry's position, never its content."""
        if isinstance(entries, str):
            entries = entries.split(",")
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(entries, start=1):
            kid, key = _parse_entry(str(entry), position)
            if any(kid == seen for seen, _ in keys):
                raise ImproperlyConfigured(
                    f"BIRGE_ENCRYPTION_KEYS entry {position} repeats the key id of an "
                    "earlier entry; every key needs its own id."
                )
            keys.append((kid, key))
        return cls(keys)

    @property
    def key_ids(self) -> list[str]:
        """Configured key ids, the current (encrypting) one first."""
        return list(self._ciphers)

    def encrypt(self, plaintext: str, *, context: str, row: str) -> str:
        """Encrypt for one row of a context under the current key; the same plaintext
        gives a new token every time."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._current.encrypt(nonce, plaintext.encode(), _associated(context, row))
        encoded = binascii.b2a_base64(nonce + sealed, newline=False).translate(_TO_URLSAFE)
        return self._prefix + encoded.decode("ascii")

    def decrypt(self, token: str, *, context: str, row: str) -> str:
        """Decrypt a token of this row and context, or raise DecryptionError.

        A column-bound (v1) token is refused: it would decrypt in any row it was copied
        to. `birge keys rotate` turns it into a row-bound one."""
        version, cipher, data = self._open(token)
        if version != VERSION:
            raise DecryptionError(
                "The value is a column-bound (v1) token, which is no longer read: run "
                "`birge migrate` or `birge keys rotate` to bind it to its row."
            )
        return _decrypt(cipher, data, _associated(context, row))

    def reencrypt(self, token: str, *, context: str, row: str) -> str:
        """The token's plaintext as a row-bound token under the current key (rotation).

        A v1 token is opened with the context alone, a v2 token with context and row; the
        plaintext never leaves this method."""
        version, cipher, data = self._open(token)
        associated = context.encode() if version == COLUMN_BOUND else _associated(context, row)
        return self.encrypt(_decrypt(cipher, data, associated), context=context, row=row)

    def _open(self, token: str) -> tuple[str, AESGCM, bytes]:
        match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
        if match is None:
            raise DecryptionError("The value is not an encrypted token.")
        version, kid, body = match.groups()
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(
                f"The value was encrypted with key {kid!r}, which is not configured."
            )
        try:
            # The pattern has checked the alphabet; binascii is the fast path for 15M values.
            data = binascii.a2b_base64(body.encode("ascii").translate(_FROM_URLSAFE))
        except (binascii.Error, ValueError):
            raise DecryptionError("The value is not an encrypted token.") from None
        if len(data) < _NONCE_BYTES + _TAG_BYTES:
            raise DecryptionError("The value is not an encrypted token.")
        return version, cipher, data

    @staticmethod
    def key_id_of(token: str) -> str:
        """The key id a token names (not proof that it decrypts)."""
        return key_id_of(token)

    def needs_rotation(self, token: str) -> bool:
        """True when the token is column-bound or under a key other than the current one."""
        return token_label(token) != self._prefix[:-1]


def _associated(context: str, row: str) -> bytes:
    return f"{context}#{row}".encode()


def _decrypt(cipher: AESGCM, data: bytes, associated: bytes) -> str:
    try:
        return cipher.decrypt(data[:_NONCE_BYTES], data[_NONCE_BYTES:], associated).decode()
    except (InvalidTag, UnicodeDecodeError):
        raise DecryptionError(
            "The value does not decrypt: it was altered, or belongs to another row, column "
            "or table."
        ) from None


def token_label(token: str) -> str:
    """ "<version>.<key id>" of a token, such as "v2.k1" (not proof that it decrypts)."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise DecryptionError("The value is not an encrypted token.")
    return f"{match.group(1)}.{match.group(2)}"


def key_id_of(token: str) -> str:
    """The key id a token names (not proof that it decrypts)."""
    return token_label(token).partition(".")[2]


def needs_rotation(token: str) -> bool:
    """True when the token is not under the configured current key."""
    return keyring().needs_rotation(token)


def generate_key_entry(kid: str) -> str:
    """A new "kid:base64-of-32-random-bytes" entry for BIRGE_ENCRYPTION_KEYS."""
    if not KEY_ID.fullmatch(kid):
        raise ValueError("A key id is 1 to 16 lowercase letters and digits, such as k2.")
    return f"{kid}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


@lru_cache(maxsize=1)
def keyring() -> Keyring:
    """The keyring from settings, parsed once per process (and again if the setting changes)."""
    return Keyring.from_setting(settings.BIRGE_ENCRYPTION_KEYS)


@receiver(setting_changed)
def _reset_keyring(*, setting: str, **kwargs) -> None:
    if setting == "BIRGE_ENCRYPTION_KEYS":
        keyring.cache_clear()


def _parse_entry(entry: str, position: int) -> tuple[str, bytes]:
    def bad(problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"BIRGE_ENCRYPTION_KEYS entry {position} {problem}; each entry is "
            "'key-id:base64-of-32-bytes' (make one with `birge keys generate --id k2`)."
        )

    kid, colon, encoded = entry.strip().partition(":")
    if not colon:
        raise bad("has no ':' between key id and key")
    if not KEY_ID.fullmatch(kid):
        raise bad("has a key id that is not 1 to 16 lowercase letters and digits")
    try:
        # Standard or URL-safe alphabet; anything else is refused rather than skipped.
        key = base64.b64decode(encoded.strip().translate(_URLSAFE_TO_STANDARD), validate=True)
    except (binascii.Error, ValueError):
        raise bad("has a key that is not valid base64") from None
    if len(key) != 32:
        raise bad(f"has a key of {len(key)} bytes instead of 32")
    return kid, key


_URLSAFE_TO_STANDARD = str.maketrans("-_", "+/")
