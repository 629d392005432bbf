"""The password check of the login, behind the per-username delay (ema.accounts.throttle)."""

from django.contrib.auth.backends import ModelBackend

from ema.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's password check, which counts every failure on the username over all addresses
    and refuses, without checking the password, an attempt inside the username's delay.

    It comes after axes's backend: an attempt that axes refuses for its (username, address)
    pair never gets here and is not counted, so a stranger hammering from one address cannot
    push the account into the delay."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        trust = throttle.browser_trust(request, username)
        attempt = throttle.login_attempt_start(
            username=username, device=trust.device, trusted=trust.trusted
        )
        if attempt.refused:
            throttle.note_refusal(request, attempt.wait)
            # Stops the other backends; Django then reports a failed login, as for a lockout.
            raise throttle.LoginThrottled
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.login_attempt_failed(attempt=attempt)
        else:
            throttle.login_attempt_succeeded(attempt=attempt)
        return user
