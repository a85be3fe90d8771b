"""Shared pieces of the REST API: every error it answers is JSON of one shape.

DRF answers the errors raised inside a view (`{"detail": …}`, or field errors for a
400). What happens before a view or outside one (an unknown path, a request Django
itself refuses, a server error) goes through Django's handlers, which answer the same
shape for paths under /api/, in the language the request asked for.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from birge.web.text import validate_free_text, validate_one_line

API_PREFIX = "/api/"

# What Django's own handlers answer under /api/: DRF's messages, translated by DRF.
_DJANGO_ERRORS = {
    400: exceptions.ParseError,
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    500: exceptions.APIException,
}


class Conflict(exceptions.APIException):
    """Someone changed the record since the client read it: reload, then try again."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this meanwhile. Reload and try again.")
    default_code = "stale"


def service_error(error: DjangoValidationError) -> exceptions.APIException:
    """The one mapping from a service's refusal to HTTP: a stale version (code "stale")
    is a 409 that says to reload; anything else a 400 with field-level messages."""
    if getattr(error, "code", "") == "stale":
        return Conflict(error.messages[0])
    detail = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    """A Django ValidationError from a service becomes a 400 with field-level messages
    (a stale version a 409)."""
    if isinstance(exc, DjangoValidationError):
        exc = service_error(exc)
    return drf_exception_handler(exc, context)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error_response(status: int) -> JsonResponse:
    """The JSON error DRF would have answered with this status."""
    return JsonResponse({"detail": str(_DJANGO_ERRORS[status].default_detail)}, status=status)


def json_under_api(status: int) -> Callable:
    """Make one of Django's error handlers (handler404 and the like) answer JSON for the API."""

    def decorate(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(handler)
        def handle(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if is_api_request(request):
                return api_error_response(status)
            return handler(request, *args, **kwargs)

        return handle

    return decorate


class LineField(serializers.CharField):
    """A one-line text field of the API: names, references, places (birge.web.text)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(django_validator(validate_one_line))


class TextField(serializers.CharField):
    """Free text of the API on several lines: narratives, reasons, notes (birge.web.text)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(django_validator(validate_free_text))


def django_validator(validator):
    """Run a Django validator inside a DRF field, keeping its translated message."""

    def run(value):
        try:
            validator(value)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.messages) from error

    return run
