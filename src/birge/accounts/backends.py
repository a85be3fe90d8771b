"""Signing in with a username and password: Django's ModelBackend, reading her agency with
her, because every page's header shows it."""

from django.contrib.auth.backends import ModelBackend

from birge.agencies.models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
