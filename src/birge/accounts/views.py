import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from birge.accounts import services
from birge.accounts.forms import CodeForm, EnrolCodeForm, SignInForm
from birge.accounts.middleware import session_seconds_left, session_touch
from birge.agencies.services import user_password_changed
from birge.web.languages import language_remember, language_supported


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers while a (username, address) pair is cooling off."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-in attempts. Sign-in for this account from this address "
        "is paused for %(minutes)d minutes."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The person's saved language follows her to any computer.
        language = form.get_user().language
        if language_supported(language):
            language_remember(response, language)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not services.two_factor_enrolled(request.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(
            request=request, user=request.user, token=form.cleaned_data["code"]
        )
        if device is not None:
            if device.name == services.RECOVERY_DEVICE_NAME:
                left = services.recovery_codes_left(user=request.user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code. %(left)d codes are left.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not correct, or has been used. Try again."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """The warning's "Stay signed in": the idle limit counts from now."""
    session_touch(request)
    return JsonResponse({"seconds_left": session_seconds_left(request)})


def _next_url(request: HttpRequest) -> str:
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return settings.LOGIN_REDIRECT_URL


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, type the first code, keep recovery codes."""
    if services.two_factor_enrolled(request.user):
        return redirect("accounts:security")
    device = services.totp_device_pending(user=request.user)
    form = EnrolCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrol_confirm(
            request=request, device=device, token=form.cleaned_data["code"].strip()
        )
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
        form.add_error(
            "code", _("This code is not correct. Check the time on your phone and try again.")
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG, no user input
            "secret": _base32(device.bin_key),
        },
    )


def _base32(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "enrolled": services.two_factor_enrolled(request.user),
            "codes_left": services.recovery_codes_left(user=request.user),
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not services.two_factor_enrolled(request.user):
        return redirect("accounts:two_factor_setup")
    codes = services.recovery_codes_generate(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "new": False})


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Her other sessions end (Django keeps only this one), and her API tokens too.
        user_password_changed(user=form.user, action="auth.password.changed")
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordSetView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(user=form.user, action="auth.password.set")
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return response
