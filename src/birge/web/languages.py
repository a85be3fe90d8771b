from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_noop

# Every language is listed under its own name, whatever the page's language, so that a
# reader finds hers ("English", not "ingiliscə"). Django's language menu passes the names
# of settings.LANGUAGES through gettext, and its own catalogs translate "English": ours,
# which come first, keep each name as it is in every language.
NATIVE_NAMES = {
    "az": gettext_noop("Azərbaycanca"),
    "ru": gettext_noop("Русский"),
    "en": gettext_noop("English"),
}


def language_supported(code: str | None) -> bool:
    return code in dict(settings.LANGUAGES)


def language_remember(response: HttpResponse, language: str) -> None:
    """Keep the person's language in a cookie that the language middleware reads."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
