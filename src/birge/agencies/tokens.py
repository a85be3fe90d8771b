"""The one-time links to choose a password (an invitation, or a forgotten password)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class PasswordLinkTokenGenerator(PasswordResetTokenGenerator):
    """Django's links, also voided when the person's sessions are ended for good
    (deactivation, a two-factor reset): her session generation is part of the hash."""

    def _make_hash_value(self, user, timestamp) -> str:
        value = super()._make_hash_value(user, timestamp)
        # Generation 0 adds nothing, so links sent before it existed still work.
        generation = getattr(user, "session_generation", 0)
        return f"{value}:{generation}" if generation else value


password_link_tokens = PasswordLinkTokenGenerator()
