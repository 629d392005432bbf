from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once an account is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class LogoutEverywhereView(auth_views.LogoutView):
    """Logging out ends every session of the account, on every device, not only this one."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            request.user.end_sessions()
        return super().post(request, *args, **kwargs)
