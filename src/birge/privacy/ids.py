"""Fields that take the id of an agency, a person, a case, a service…: one answer whether
the id does not exist, exists but is not the actor's to choose, or is of the wrong kind,
so that an error message never tells an outsider whether an id exists.

The way to get there is a queryset scoped to what the actor may choose (and the service's
own rule, when it has one, written as that queryset); what falls outside it, for whatever
reason, gets the field's one message, which never repeats the id. Two fields:
`IdsChoiceField` for forms (Django's multiple choice field repeats the value in its
message; the single one does not and needs nothing), `IdRelatedField` for the API
(DRF's repeats it as well)."""

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

# Django's own words (translated in Django's catalogues), with no id in them.
NOT_A_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]
# The largest id a database column holds: SQLite raises OverflowError beyond it in `pk__in`.
MAX_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several ids from the field's queryset; ids beyond 64 bits are refused here."""

    default_error_messages = {"invalid_choice": NOT_A_CHOICE}

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                too_big = abs(int(pk)) > MAX_ID
            except (TypeError, ValueError):
                continue  # not a number: the field itself says so
            if too_big:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().clean(value)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """An id from the field's queryset, in an API body (`many=True` for a list)."""

    default_error_messages = {"does_not_exist": NOT_A_CHOICE}
