from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once an account is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
