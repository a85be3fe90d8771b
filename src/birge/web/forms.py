"""What every page's form handling shares."""

from django.core.exceptions import ValidationError

# A version is a row counter: anything longer is not one, and must not reach the database.
VERSION_DIGITS = 9


def form_add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: a field's message by its field (when the form has
    it), anything else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted_version(data) -> int | None:
    """The `version` a button posted (the one its page showed), or None when it posted
    none or nonsense: then the service checks against the row as it is."""
    value = data.get("version", "")
    if value.isascii() and value.isdigit() and len(value) <= VERSION_DIGITS:
        return int(value)
    return None
