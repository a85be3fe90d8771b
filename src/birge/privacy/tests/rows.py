"""Models of the privacy tests, in a registry of their own, with tables made for the test
module by the `tables` fixture (the privacy app has no models)."""

from django.apps.registry import Apps
from django.db import connection, models

from birge.privacy.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField

registry = Apps(["birge.privacy"])


class Owner(models.Model):  # noqa: DJ008
    name = EncryptedCharField(max_length=100, blank=True)

    class Meta:
        app_label = "privacy"
        apps = registry


class Note(models.Model):  # noqa: DJ008
    title = EncryptedCharField(max_length=100, blank=True)
    text = EncryptedTextField(blank=True)
    born = EncryptedDateField(null=True, blank=True)
    plain = models.CharField(max_length=20, blank=True)
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )

    class Meta:
        app_label = "privacy"
        apps = registry


class Other(models.Model):  # noqa: DJ008
    """Another table with a column of the same name."""

    text = EncryptedTextField(blank=True)

    class Meta:
        app_label = "privacy"
        apps = registry


MODELS = (Owner, Note, Other)


def tables_create() -> None:
    with connection.schema_editor() as editor:
        for model in MODELS:
            editor.create_model(model)


def tables_drop() -> None:
    with connection.schema_editor() as editor:
        for model in reversed(MODELS):
            editor.delete_model(model)
