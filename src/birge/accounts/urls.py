from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from birge.accounts import views
from birge.accounts.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from birge.agencies.tokens import password_link_tokens

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.security, name="security"),
    path("session/", views.session_keepalive, name="session_keepalive"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes"),
    path(
        "password/",
        views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            form_class=PasswordChangeForm,
            success_url=reverse_lazy("accounts:security"),
            extra_context={"heading": PasswordChangeForm.heading},
        ),
        name="password_change",
    ),
    path(
        "password/forgotten/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            form_class=PasswordResetForm,
            token_generator=password_link_tokens,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"heading": PasswordResetForm.heading},
        ),
        name="password_reset",
    ),
    path(
        "password/forgotten/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        views.PasswordSetView.as_view(
            template_name="accounts/password_set.html",
            form_class=SetPasswordForm,
            token_generator=password_link_tokens,
            success_url=reverse_lazy("accounts:login"),
            post_reset_login=False,
        ),
        name="password_set",
    ),
]
