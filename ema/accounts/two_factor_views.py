"""The pages of two-factor authentication: the code at login, setting the app up, the
recovery codes, and the account page that gathers them."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from ema.access import role_not_required, two_factor_not_required
from ema.accounts import throttle, two_factor
from ema.accounts.forms import LoginForm, TwoFactorCodeForm, TwoFactorEnrolForm
from ema.accounts.views import login_throttled
from ema.http import AuthenticatedHttpRequest


class LoginView(auth_views.LoginView):
    """The password step; an account with a second factor is asked for its code next."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The password was right: auth.login has just set request.user to the account.
        two_factor.remember_devices_at_login(cast(AuthenticatedHttpRequest, self.request))
        # This browser is now the person's own: a stranger's failures do not hold it back.
        throttle.device_cookie_set(self.request, response, username=form.get_user().get_username())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        wait = throttle.refused_wait(self.request)
        if wait is not None:
            return login_throttled(self.request, wait)
        # Bad input is a client error, as on every other form of the app.
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to go once the second factor is given: a page of this site, else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _owes_a_code(request: AuthenticatedHttpRequest) -> bool:
    """Has a device but has not given a code in this session (whatever the role)."""
    return not two_factor.is_verified(request.user) and user_has_device(request.user)


@two_factor_not_required
@role_not_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app, or a single-use recovery code."""
    user = request.user
    next_url = _next_url(request)
    if two_factor.is_verified(user):
        return redirect(next_url)
    if not user_has_device(user):
        if user.requires_two_factor:
            return two_factor.redirect_to_second_factor(request, next_url)
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.code_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            two_factor.verified_login(request, device)
            if isinstance(device, StaticDevice):
                _warn_recovery_code_used(request)
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url, "hide_navigation": True},
        status=400 if form.is_bound else 200,
    )


def _warn_recovery_code_used(request: AuthenticatedHttpRequest) -> None:
    left = two_factor.recovery_codes_left(request.user)
    messages.warning(
        request,
        ngettext(
            "You used a recovery code: %(left)s code is left. Make new ones from the "
            "two-factor authentication page.",
            "You used a recovery code: %(left)s codes are left. Make new ones from the "
            "two-factor authentication page.",
            left,
        )
        % {"left": left},
    )


@two_factor_not_required
@role_not_required
def two_factor_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set the authenticator app up: scan the QR code, type its first code, get the codes."""
    next_url = _next_url(request)
    if _owes_a_code(request):
        # Only someone who proved the current device may replace it.
        return two_factor.redirect_to_second_factor(request, next_url)
    device = two_factor.totp_device_start(user=request.user)
    form = TwoFactorEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.authenticator_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            two_factor.verified_login(request, device)
            messages.success(request, gettext("Two-factor authentication is on."))
            return _show_recovery_codes(request, codes, next_url)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.totp_qr_code_svg(device),
            "secret": two_factor.totp_secret(device),
            "hide_navigation": two_factor.needs_verification(request),
        },
        status=400 if form.is_bound else 200,
    )


def _show_recovery_codes(
    request: AuthenticatedHttpRequest, codes: list[str], next_url: str
) -> HttpResponse:
    # Shown in the answer to the POST, never stored for a later page: they appear once.
    return render(
        request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": next_url}
    )


@role_not_required
def two_factor_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account page: whether two-factor authentication is on, and what to do with it."""
    user = request.user
    if _owes_a_code(request):
        return two_factor.redirect_to_second_factor(request, request.get_full_path())
    return render(
        request,
        "accounts/two_factor_settings.html",
        {
            "has_app": two_factor.has_authenticator_app(user),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


@require_POST
@role_not_required
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ten new recovery codes, which replace the old ones; for a person who gave a code."""
    if not two_factor.is_verified(request.user):
        return two_factor.redirect_to_second_factor(request, reverse("accounts:two_factor"))
    codes = two_factor.recovery_codes_replace(user=request.user)
    return _show_recovery_codes(request, codes, reverse("accounts:two_factor"))


@require_POST
@role_not_required
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-factor authentication off, for a role that does not require it."""
    if request.user.requires_two_factor:
        raise PermissionDenied
    if _owes_a_code(request):
        return two_factor.redirect_to_second_factor(request, reverse("accounts:two_factor"))
    two_factor.second_factor_remove(user=request.user)
    two_factor.forget_devices_in_session(request)
    messages.success(request, gettext("Two-factor authentication is off."))
    return redirect("accounts:two_factor")
