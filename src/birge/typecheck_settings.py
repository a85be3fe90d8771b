"""Settings for `make types` only. django-stubs' mypy plugin types a model's primary key
and every `<fk>_id` from the class in DEFAULT_AUTO_FIELD, and it cannot read Birge's
`RowIdField` (a BigAutoField that allocates its id before the INSERT); so mypy sees
BigAutoField, which types exactly the same (an int)."""

from birge.settings import *  # noqa: F403

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
