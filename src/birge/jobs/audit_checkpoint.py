"""Sign the audit log's head seal every BIRGE_AUDIT_CHECKPOINT_INTERVAL seconds
(birge.audit.checkpoints), into the database and the places outside it that are
configured, so that `birge audit verify` knows what the log must still hold. Without a
checkpoint key it does nothing, and says so."""

import logging
from datetime import datetime

from django.conf import settings

from birge.audit.checkpoints import checkpoint_take

logger = logging.getLogger("birge.jobs")


def audit_checkpoint(now: datetime | None = None) -> int:
    key = settings.BIRGE_AUDIT_CHECKPOINT_KEY
    if not key:
        # A warning in production (the deployment check also fails); the demo has no key.
        level = logging.INFO if settings.BIRGE_DEMO else logging.WARNING
        logger.log(
            level, "audit_checkpoint: BIRGE_AUDIT_CHECKPOINT_KEY is not set, no checkpoint made"
        )
        return 0
    taken = checkpoint_take(key=key)
    for note in taken.notes:
        if note.startswith("syslog:") and note != "syslog: sent.":
            logger.warning("audit_checkpoint: %s", note)
    return 1
