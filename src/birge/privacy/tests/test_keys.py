import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from birge.privacy.keys import (
    DecryptionError,
    Keyring,
    generate_key_entry,
    key_id_of,
    keyring,
    needs_rotation,
    token_label,
)
from birge.privacy.tests.conftest import K1, K2, column_bound_token

CONTEXT = "cases.person.first_name"
ROW = "17"


@pytest.fixture
def ring() -> Keyring:
    return Keyring.from_setting([K1])


def _flip(token: str, index: int) -> str:
    chars = list(token)
    chars[index] = "A" if chars[index] != "A" else "B"
    return "".join(chars)


def _seal(ring: Keyring, text: str) -> str:
    return ring.encrypt(text, context=CONTEXT, row=ROW)


def _open(ring: Keyring, token) -> str:
    return ring.decrypt(token, context=CONTEXT, row=ROW)


def test_it_decrypts_what_it_encrypted(ring):
    for text in ["Aysel Məmmədova", "Айсель Мамедова", "x", "🙂 " * 50, "a" * 10_000]:
        assert _open(ring, _seal(ring, text)) == text


def test_it_writes_the_version_and_key_id_and_no_plaintext(ring):
    token = _seal(ring, "Aysel")
    assert token.startswith("v2.k1.")
    assert "Aysel" not in token
    assert key_id_of(token) == "k1"
    assert token_label(token) == "v2.k1"


def test_it_uses_a_new_nonce_every_time(ring):
    tokens = {_seal(ring, "Aysel") for _ in range(50)}
    assert len(tokens) == 50
    nonces = {base64.urlsafe_b64decode(t.split(".")[2])[:12] for t in tokens}
    assert len(nonces) == 50


def test_it_refuses_a_token_from_another_context(ring):
    token = _seal(ring, "Aysel")
    with pytest.raises(DecryptionError, match="another row, column or table"):
        ring.decrypt(token, context="cases.person.last_name", row=ROW)


@pytest.mark.parametrize("row", ["18", "1", "170", "17 ", ""])
def test_it_refuses_a_token_from_another_row(ring, row):
    token = _seal(ring, "Aysel")
    with pytest.raises(DecryptionError, match="another row, column or table"):
        ring.decrypt(token, context=CONTEXT, row=row)


def test_the_row_cannot_be_moved_into_the_context(ring):
    # "a#1" + "7" and "a#17" + "" would be the same bytes if the row were only appended.
    token = ring.encrypt("Aysel", context=f"{CONTEXT}#1", row="7")
    with pytest.raises(DecryptionError):
        ring.decrypt(token, context=CONTEXT, row="17")


def test_it_refuses_a_column_bound_token_and_says_how_to_bind_it(ring):
    old = column_bound_token("Aysel", context=CONTEXT)
    with pytest.raises(DecryptionError, match=r"column-bound.*birge keys rotate"):
        _open(ring, old)
    assert ring.needs_rotation(old)
    assert token_label(old) == "v1.k1"


def test_reencrypting_binds_a_column_bound_token_to_its_row(ring):
    old = column_bound_token("Aysel", context=CONTEXT)
    new = ring.reencrypt(old, context=CONTEXT, row=ROW)
    assert new.startswith("v2.k1.")
    assert not ring.needs_rotation(new)
    assert _open(ring, new) == "Aysel"
    with pytest.raises(DecryptionError):
        ring.decrypt(new, context=CONTEXT, row="18")


def test_reencrypting_refuses_a_token_of_another_column_or_row(ring):
    old = column_bound_token("Aysel", context="cases.person.last_name")
    with pytest.raises(DecryptionError):
        ring.reencrypt(old, context=CONTEXT, row=ROW)
    with pytest.raises(DecryptionError):
        ring.reencrypt(_seal(ring, "Aysel"), context=CONTEXT, row="18")


@pytest.mark.parametrize("index", [6, 10, 30, -3, -1])
def test_it_refuses_a_tampered_token(ring, index):
    token = _seal(ring, "Aysel Məmmədova")
    with pytest.raises(DecryptionError):
        _open(ring, _flip(token, index))


def test_it_refuses_a_truncated_or_extended_token(ring):
    token = _seal(ring, "Aysel Məmmədova")
    for bad in [token[:-4], token + "AAAA", token[:20]]:
        with pytest.raises(DecryptionError):
            _open(ring, bad)


def test_it_refuses_a_token_under_an_unknown_key(ring):
    other = Keyring.from_setting([K2])
    token = _seal(other, "Aysel")
    with pytest.raises(DecryptionError, match="k2"):
        _open(ring, token)


def test_it_refuses_a_token_relabelled_with_another_configured_key_or_version():
    both = Keyring.from_setting([K1, K2])
    token = _seal(both, "Aysel")
    with pytest.raises(DecryptionError):
        _open(both, token.replace("v2.k1.", "v2.k2.", 1))
    with pytest.raises(DecryptionError):
        both.reencrypt(token.replace("v2.k1.", "v1.k1.", 1), context=CONTEXT, row=ROW)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Aysel",
        "v2.k1.",
        "v3.k1.AAAA",
        "v2.K1.AAAA",
        "v2.k1.AA*A",
        "v2.k1.A",
        "v2.k1.AAAA",
        None,
        b"v2",
    ],
)
def test_it_never_returns_something_that_is_not_a_token(ring, value):
    with pytest.raises(DecryptionError):
        _open(ring, value)


def test_its_errors_do_not_repeat_the_token(ring):
    token = _seal(ring, "Aysel")
    with pytest.raises(DecryptionError) as caught:
        ring.decrypt(token, context="other", row=ROW)
    assert token.split(".")[2] not in str(caught.value)


def test_a_new_first_key_encrypts_and_old_tokens_still_decrypt(ring):
    old = _seal(ring, "Aysel")
    rotated = Keyring.from_setting([K2, K1])
    assert rotated.current_id == "k2"
    assert rotated.key_ids == ["k2", "k1"]
    assert _open(rotated, old) == "Aysel"
    assert rotated.needs_rotation(old)
    new = _seal(rotated, "Aysel")
    assert key_id_of(new) == "k2"
    assert not rotated.needs_rotation(new)


def test_the_configured_keyring_follows_the_setting(settings):
    token = _seal(keyring(), "Aysel")
    assert not needs_rotation(token)
    settings.BIRGE_ENCRYPTION_KEYS = [K2, K1]
    assert keyring().current_id == "k2"
    assert needs_rotation(token)
    assert _open(keyring(), token) == "Aysel"


def test_the_configured_keyring_is_parsed_once():
    assert keyring() is keyring()


def test_it_accepts_a_comma_separated_string():
    assert Keyring.from_setting(f"{K2}, {K1}").key_ids == ["k2", "k1"]


SECRET = base64.b64encode(b"s" * 32).decode()


@pytest.mark.parametrize(
    "entries, position",
    [
        ([K1, SECRET], 2),  # no key id
        ([f"K1:{SECRET}"], 1),  # upper case id
        ([f"k-1:{SECRET}"], 1),
        ([f"k1:{SECRET[:-4]}"], 1),  # too short
        ([f"k1:{base64.b64encode(b's' * 33).decode()}"], 1),
        ([K1, K2, f"k3:{SECRET[:10]}!{SECRET[11:]}"], 3),  # not base64
        ([K1, f"k1:{SECRET}"], 2),  # repeated id
    ],
)
def test_a_malformed_entry_is_named_by_position_without_its_key(entries, position):
    with pytest.raises(ImproperlyConfigured) as caught:
        Keyring.from_setting(entries)
    message = str(caught.value)
    assert f"entry {position}" in message
    for entry in entries:
        assert entry.split(":")[-1][:8] not in message


def test_an_empty_key_list_is_refused():
    with pytest.raises(ImproperlyConfigured):
        Keyring.from_setting([])


def test_a_generated_entry_is_a_valid_new_key():
    entry = generate_key_entry("k7")
    assert Keyring.from_setting([entry]).current_id == "k7"
    assert entry != generate_key_entry("k7")
    with pytest.raises(ValueError):
        generate_key_entry("K 7")
