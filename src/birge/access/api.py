"""The API's side of the consent scopes: a serializer for records read through them.

A field whose scope is not hers (`birge.access.fields.HIDDEN`) is `null` and named in the
record's `hidden` list: the same neutral answer whether there is a value or not, and
distinct from a field that is merely empty.
"""

from typing import Any

from rest_framework import serializers
from rest_framework.fields import SkipField

from birge.access.fields import HIDDEN


class ScopedSerializer(serializers.Serializer):
    hidden = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Fields the victim's consent does not let your agency see; they are null.",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "hidden":
                field.allow_null = True  # what her scopes hide is null: the schema says so
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = {}
        hidden: list[str] = []
        for field in self._readable_fields:
            name = str(field.field_name)
            if name == "hidden":
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            if attribute is HIDDEN:
                data[name] = None
                hidden.append(name)
            elif attribute is None:
                data[name] = None
            else:
                data[name] = field.to_representation(attribute)
        data["hidden"] = hidden
        return data
