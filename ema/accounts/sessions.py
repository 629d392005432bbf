"""Session lifetime: a session ends after 30 idle minutes and after 12 hours in all.

The session records when it started and when it was last used. The "last used" mark is
written at most once a minute, so that reading pages does not write the session each time.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

STARTED_AT = "ema_session_started_at"
LAST_SEEN_AT = "ema_session_last_seen_at"
# How stale the "last used" mark may be: the idle limit is exact to within this many seconds.
LAST_SEEN_RESOLUTION = 60


def session_start(session) -> None:
    """Mark a new login's session as started now (from the `user_logged_in` signal)."""
    now = int(time.time())
    session[STARTED_AT] = now
    session[LAST_SEEN_AT] = now


def session_expiry_reason(session, *, now: int) -> str:
    """Why the session is over, or "" while it is still alive."""
    started = session.get(STARTED_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if started is None or last_seen is None:
        return ""
    if now - started >= settings.SESSION_ABSOLUTE_TIMEOUT:
        return _("Your session has ended after %(hours)d hours. Please log in again.") % {
            "hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600
        }
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
        return _(
            "Your session has ended after %(minutes)d minutes without activity. "
            "Please log in again."
        ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
    return ""


class SessionLifetimeMiddleware:
    """Log out a session that was idle too long or is too old; keep the others alive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            reason = session_expiry_reason(session, now=now)
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if session.get(STARTED_AT) is None:
                session_start(session)
            elif now - session[LAST_SEEN_AT] >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
