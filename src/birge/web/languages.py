from django.conf import settings
from django.http import HttpResponse


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
