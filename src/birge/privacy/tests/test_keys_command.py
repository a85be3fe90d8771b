from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from birge.privacy.keys import Keyring


def test_generate_prints_a_line_for_the_key_setting():
    out = StringIO()
    call_command("keys", "generate", "--id", "k2", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("k2:")
    assert Keyring.from_setting([line]).current_id == "k2"


def test_generate_refuses_a_malformed_key_id():
    with pytest.raises(CommandError, match="lowercase letters and digits"):
        call_command("keys", "generate", "--id", "Key 2")


def test_rotate_refuses_a_batch_size_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("keys", "rotate", "--batch-size", "0")
