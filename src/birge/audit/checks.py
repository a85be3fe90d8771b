"""Deployment checks of the audit log (`birge check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core import checks

# An HMAC key: 32 characters at least (`secrets.token_hex(32)` gives 64).
CHECKPOINT_KEY_MIN_LENGTH = 32


def checkpoint_key_is_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without a checkpoint key nothing outside the database says what the log held, so a
    cut log passes `birge audit verify`: production must have a real one."""
    if settings.BIRGE_DEMO:
        return []
    key = settings.BIRGE_AUDIT_CHECKPOINT_KEY
    if not key:
        return [
            checks.Error(
                "BIRGE_AUDIT_CHECKPOINT_KEY is not set: no audit checkpoints are made, and a "
                "cut audit log goes unnoticed.",
                hint="Set BIRGE_AUDIT_CHECKPOINT_KEY_FILE to a file holding "
                "`python3 -c 'import secrets; print(secrets.token_hex(32))'` (README, "
                "Configuration).",
                id="audit.E001",
            )
        ]
    if len(key) < CHECKPOINT_KEY_MIN_LENGTH:
        return [
            checks.Error(
                f"BIRGE_AUDIT_CHECKPOINT_KEY has {len(key)} characters, fewer than "
                f"{CHECKPOINT_KEY_MIN_LENGTH}: checkpoints signed with it can be forged.",
                hint="Use `python3 -c 'import secrets; print(secrets.token_hex(32))'`.",
                id="audit.E002",
            )
        ]
    return []
