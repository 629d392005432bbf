from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ema.accounts.throttle import wait_in_minutes


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page django-axes shows once a (username, address) pair is locked
    (AXES_LOCKOUT_CALLABLE). Every attempt during the lock starts the wait again, so the
    whole cool-off is what is left."""
    return _too_many_attempts(request, "registration/locked_out.html", settings.AXES_COOLOFF_TIME)


def login_throttled(request: HttpRequest, wait: timedelta) -> HttpResponse:
    """The page of an attempt refused by the per-username delay (ema.accounts.throttle)."""
    longest = wait_in_minutes(settings.LOGIN_THROTTLE_MAX_DELAY)
    return _too_many_attempts(
        request, "registration/login_throttled.html", wait, {"longest": longest}
    )


def _too_many_attempts(
    request: HttpRequest, template: str, wait: timedelta, context: dict | None = None
) -> HttpResponse:
    context = {"minutes": wait_in_minutes(wait), **(context or {})}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(max(1, int(wait.total_seconds() + 0.999)))
    return response


class LogoutEverywhereView(auth_views.LogoutView):
    """Logging out ends every session of the account, on every device, not only this one."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            request.user.end_sessions()
        return super().post(request, *args, **kwargs)
