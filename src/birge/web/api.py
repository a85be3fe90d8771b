"""Shared pieces of the REST API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from birge.web.text import validate_free_text, validate_one_line


def exception_handler(exc, context):
    """A Django ValidationError from a service becomes a 400 with field-level messages."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


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
