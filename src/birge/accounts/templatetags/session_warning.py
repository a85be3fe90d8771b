from django import template
from django.conf import settings

from birge.accounts.middleware import session_seconds_left

register = template.Library()


@register.inclusion_tag("accounts/_session_warning_dialog.html", takes_context=True)
def session_warning(context) -> dict:
    """The warning before the idle limit ends the session, with the limits of this page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "seconds_left": session_seconds_left(request),
        "idle_seconds": int(settings.BIRGE_SESSION_IDLE.total_seconds()),
        "warning_seconds": int(settings.BIRGE_SESSION_WARNING.total_seconds()),
        "csrf_token": context.get("csrf_token"),
    }
