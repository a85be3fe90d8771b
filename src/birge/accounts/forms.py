from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from birge.web.forms import LineField


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Both are case-sensitive. "
            "After several failed attempts sign-in is paused for 15 minutes."
        ),
        "inactive": _("This account has been deactivated. Ask your agency lead."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username")
        # AuthenticationForm sets max_length after the field is made, so nothing enforces it:
        # a longer name would reach axes, whose column (255) PostgreSQL refuses with a 500.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["maxlength"] = 128


class CodeForm(forms.Form):
    code = LineField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("Enter the code.")},
    )


class EnrolCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        help_text=_("After scanning, the app shows a 6-digit code. Enter it here."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the code."),
            "invalid": _("The code has 6 digits."),
        },
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    heading = _("Change your password")


class SetPasswordForm(auth_forms.SetPasswordForm):
    heading = _("Choose your password")


class PasswordResetForm(auth_forms.PasswordResetForm):
    heading = _("Forgotten password")
