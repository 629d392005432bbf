"""Two-factor authentication: a code from an authenticator app (TOTP), or a recovery code.

The direction and the administrators hold every file: for them a password alone is never
enough (`User.requires_two_factor`). Anyone else may turn it on; once on, it is asked at
each login. Devices, throttling and single-use recovery codes come from django-otp.
"""

import math
import re
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ema.accounts.models import User
from ema.http import AuthenticatedHttpRequest

RECOVERY_CODE_COUNT = 10
# Set at login for an account that has a device although its role does not require one.
ENROLLED_AT_LOGIN_SESSION_KEY = "ema_two_factor_at_login"
TOTP_CODE = re.compile(r"\d{6}")


# Who must prove a second factor -------------------------------------------------------------


def is_verified(user: User) -> bool:
    """The person gave the second factor in this session. django-otp's OTPMiddleware sets
    `is_verified` on request.user, an attribute the User model does not declare."""
    return bool(user.is_verified())  # type: ignore[attr-defined]


def remember_devices_at_login(request: AuthenticatedHttpRequest) -> None:
    """After the password: an account that has set up a device is asked for a code too."""
    user = request.user
    if not user.requires_two_factor and user_has_device(user):
        request.session[ENROLLED_AT_LOGIN_SESSION_KEY] = True


def needs_verification(request: HttpRequest) -> bool:
    """The person is logged in with a password but has not yet given the second factor."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (user.requires_two_factor or request.session.get(ENROLLED_AT_LOGIN_SESSION_KEY)):
        return False
    return not is_verified(user)


def session_complete(request: HttpRequest) -> dict[str, bool]:
    """The context processor behind `session_complete`: the person is logged in and owes no
    second factor. Pages shown before that (the login, the second factor's pages, the logout)
    load nothing that sends a request of its own: a request still under way when the login
    or its code replaces the session key would come back with the old one and end the new
    session."""
    # A request that did not pass the session and two-factor middleware (an error page shown
    # before them, a template rendered by hand) is no complete session.
    user = getattr(request, "user", None)
    if user is None or not (hasattr(request, "session") and hasattr(user, "is_verified")):
        return {"session_complete": False}
    complete = user.is_authenticated and not needs_verification(request)
    return {"session_complete": complete}


def verified_login(request: AuthenticatedHttpRequest, device: Device) -> None:
    """Record in the session that the person proved the second factor with `device`."""
    # A new session key for the stronger login, as Django does at the password step.
    request.session.cycle_key()
    otp_login(request, device)


def redirect_to_second_factor(
    request: AuthenticatedHttpRequest, next_url: str | None = None
) -> HttpResponseRedirect:
    """The code page, or the enrolment page for someone who has no device yet."""
    enrolled = user_has_device(request.user)
    url = reverse("accounts:two_factor_verify" if enrolled else "accounts:two_factor_enrol")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)


class TwoFactorMiddleware:
    """Send a person who owes a second factor to the code (or enrolment) page, whatever the URL.

    Runs after django-otp's OTPMiddleware and RoleRequiredMiddleware. Views that such a person
    still needs (the two-factor pages, log out, switch language) are marked with
    `two_factor_not_required`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "two_factor_not_required", False):
            return None
        if not needs_verification(request):
            return None
        user = request.user
        if not user.requires_two_factor and not user_has_device(user):
            # An administrator removed the devices since the login: nothing is left to ask.
            del request.session[ENROLLED_AT_LOGIN_SESSION_KEY]
            return None
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
        return redirect_to_second_factor(request, next_url)


# Devices and codes --------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: the pending device, or a new one with a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing it into the app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_code_svg(device: TOTPDevice) -> SafeString:
    """The QR code of the app's set-up link, as inline SVG markup (no script, no style)."""
    title = gettext("QR code to scan with the authenticator app")
    markup = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=title, svgclass="two-factor-qr", omitsize=True
    )
    labelled = markup.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    # Segno draws paths from the link and escapes the title: nothing typed by a person.
    return mark_safe(labelled)  # noqa: S308


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_authenticator_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def normalise_code(code: str) -> str:
    """Codes are typed with spaces or dashes on phones; recovery codes are lower case."""
    return re.sub(r"[\s-]", "", code).lower()


def _throttled_error(locked_until) -> ValidationError:
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    message = ngettext(
        "Too many wrong codes. Wait %(seconds)s second before trying again.",
        "Too many wrong codes. Wait %(seconds)s seconds before trying again.",
        seconds,
    )
    return ValidationError(message, code="throttled", params={"seconds": seconds})


def _verify_on(devices, code: str) -> Device | None:
    """The first device that accepts `code`; a throttled device refuses without checking it.

    Failures are counted by django-otp on each device and committed here, whatever the
    caller does next: an error raised afterwards must not roll the count back."""
    locked_until = None
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = max(filter(None, [locked_until, details.get("locked_until")]))
                continue
            if device.verify_token(code):
                return device
    if locked_until is not None:
        raise _throttled_error(locked_until)
    return None


def code_verify(*, user: User, code: str) -> Device:
    """The device of `user` that accepts `code`: six digits for the app, else a recovery code.

    A recovery code is deleted once used. Raises ValidationError on a wrong code or while
    the device is throttled after wrong codes."""
    code = normalise_code(code)
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    device = _verify_on(model.objects.devices_for_user(user, confirmed=True), code)
    if device is None:
        raise ValidationError(
            gettext(
                "This code is not right. Type the code the app shows now, or one of your "
                "recovery codes."
            ),
            code="invalid",
        )
    return device


def authenticator_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app being set up with its first code; it replaces any earlier app.

    Returns new recovery codes, which replace the old ones. Raises ValidationError on a
    wrong code, and the device stays unconfirmed."""
    code = normalise_code(code)
    pending = TOTPDevice.objects.filter(pk=device.pk, confirmed=False)
    if not TOTP_CODE.fullmatch(code) or _verify_on(pending, code) is None:
        raise ValidationError(
            gettext(
                "This code does not match. Type the 6 digits the app shows now: the code "
                "changes every 30 seconds."
            ),
            code="invalid",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_replace(user=device.user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new single-use recovery codes for `user`; the earlier ones stop working."""
    # Keep the device itself: the session may have been verified with one of its codes.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=gettext("Recovery codes"))
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Remove the app and the recovery codes of someone whose role does not require them."""
    if user.requires_two_factor:
        raise ValidationError(
            gettext("Your role requires two-factor authentication."), code="required"
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def forget_devices_in_session(request: AuthenticatedHttpRequest) -> None:
    """After turning two-factor authentication off: nothing left to ask in this session."""
    request.session.pop(ENROLLED_AT_LOGIN_SESSION_KEY, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
