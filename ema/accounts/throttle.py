"""The login's defence against password guessing, built so that it cannot be turned against
the person whose account it protects.

First line, django-axes: `AXES_FAILURE_LIMIT` failures on one username from one address lock
that pair (username, address) for `AXES_COOLOFF_TIME`. The same person at another address is
not locked, and the address is found behind the proxies (`client_address`).

Second line, here: failures on one username are counted over every address, in a sliding
window (`LOGIN_THROTTLE_WINDOW`). Past `LOGIN_THROTTLE_THRESHOLD` of them, each attempt must
come a delay after the last failure, a delay that doubles with each further failure up to
`LOGIN_THROTTLE_MAX_DELAY`; an attempt inside the delay is refused before its password is
checked. Guessing from many addresses stays slow, and nobody is held back for long.

Device cookies (OWASP): a successful password gives the browser a signed cookie naming the
username. A browser that presents it is exempt from both lines, so a stranger's failures never
hold back the person's own browser, until that browser fails `AXES_FAILURE_LIMIT` times in the
window itself; its next successful login gives it a fresh cookie.
"""

import ipaddress
import logging
import math
import uuid
from dataclasses import dataclass
from datetime import timedelta

from axes.helpers import get_client_username
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ema.accounts.models import LoginFailure, User

log = logging.getLogger(__name__)

USERNAME_KEY_SALT = "ema.accounts.throttle.username"
DEVICE_COOKIE = "ema_device"
DEVICE_COOKIE_SALT = "ema.accounts.throttle.device"
# A browser shared by a few colleagues (the office computer) stays trusted for each of them.
DEVICE_COOKIE_ACCOUNTS = 5
# The request attributes one attempt carries from the backend to the view.
_TRUST = "ema_login_trust"
_WAIT = "ema_login_wait"


class LoginThrottled(PermissionDenied):
    """Raised by the authentication backend: the attempt came inside the username's delay."""


# Where an attempt comes from ----------------------------------------------------------------


def client_address(request: HttpRequest) -> str | None:
    """The person's address (AXES_CLIENT_IP_CALLABLE): the peer's, or behind
    `TRUSTED_PROXY_COUNT` proxies, the one the outermost proxy saw.

    Each proxy appends its peer to X-Forwarded-For, so that address is the Nth from the right;
    whatever a client writes in the header itself stays on the left and is never read."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request came in past the outer ones, and every entry
    # was still written by a proxy of ours.
    return _address(forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]) or remote


def _address(value: str) -> str | None:
    """An IP address from a header entry, without the port some proxies add; else None."""
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# The username and the browser ---------------------------------------------------------------


def username_key(username: str) -> uuid.UUID:
    """The username as it is counted and stored: a keyed hash, the same whatever its case
    (128 bits of an HMAC: enough to tell usernames apart, and nobody can reverse it)."""
    digest = salted_hmac(USERNAME_KEY_SALT, username.strip().casefold(), algorithm="sha256")
    return uuid.UUID(bytes=digest.digest()[:16])


def _device_entries(request: HttpRequest) -> list[tuple[str, str, int]]:
    """The (username key, nonce, issue time) entries of the browser's device cookie, if its
    signature holds; entries older than LOGIN_DEVICE_COOKIE_AGE are left out."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    age = settings.LOGIN_DEVICE_COOKIE_AGE
    try:
        entries = signing.loads(value, salt=DEVICE_COOKIE_SALT, max_age=age)
    except signing.BadSignature:
        return []
    oldest = (timezone.now() - age).timestamp()
    if not isinstance(entries, list):
        return []
    return [
        (entry[0], entry[1], entry[2])
        for entry in entries
        if isinstance(entry, list)
        and len(entry) == 3
        and isinstance(entry[0], str)
        and isinstance(entry[1], str)
        and isinstance(entry[2], int)
        and entry[2] >= oldest
    ]


def _device_nonce(request: HttpRequest, username: str) -> uuid.UUID | None:
    key = username_key(username).hex
    for entry_key, nonce, _issued in _device_entries(request):
        if constant_time_compare(entry_key, key):
            try:
                return uuid.UUID(hex=nonce)
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class BrowserTrust:
    device: uuid.UUID | None  # the nonce of the browser's device cookie for this username
    trusted: bool  # exempt from both lines


def browser_trust(request: HttpRequest | None, username: str) -> BrowserTrust:
    """Whether this browser holds a device cookie for `username` that has not failed
    AXES_FAILURE_LIMIT times in the window. Worked out once per attempt, so that axes and the
    backend see the same answer before and after the password is checked."""
    if request is None:
        return BrowserTrust(device=None, trusted=False)
    memo = getattr(request, _TRUST, None)
    if memo is None:
        memo = {}
        setattr(request, _TRUST, memo)
    if username not in memo:
        device = _device_nonce(request, username)
        failures = (
            LoginFailure.objects.filter(
                username_key=username_key(username),
                device=device,
                failed_at__gte=timezone.now() - settings.LOGIN_THROTTLE_WINDOW,
            ).count()
            if device is not None
            else 0
        )
        memo[username] = BrowserTrust(
            device=device,
            trusted=device is not None and failures < settings.AXES_FAILURE_LIMIT,
        )
    return memo[username]


def is_trusted_browser(request: HttpRequest, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: the person's own browser is never locked by the pair lock."""
    username = get_client_username(request, credentials)
    return bool(username) and browser_trust(request, username).trusted


def device_cookie_set(request: HttpRequest, response: HttpResponse, *, username: str) -> None:
    """After a successful password: a fresh device cookie entry for `username` on this browser,
    the entries of the other accounts that logged in here kept."""
    key = username_key(username).hex
    others = [list(entry) for entry in _device_entries(request) if entry[0] != key]
    entries = [[key, uuid.uuid4().hex, int(timezone.now().timestamp())], *others]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(entries[:DEVICE_COOKIE_ACCOUNTS], salt=DEVICE_COOKIE_SALT, compress=True),
        max_age=int(settings.LOGIN_DEVICE_COOKIE_AGE.total_seconds()),
        # Only the login needs it.
        path=reverse("accounts:login"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# The per-username delay ---------------------------------------------------------------------


def delay_after(failures: int) -> timedelta:
    """The wait after the `failures`-th failure in the window: none below the threshold, then
    LOGIN_THROTTLE_FIRST_DELAY, doubling with each further failure, up to the maximum."""
    beyond = failures - settings.LOGIN_THROTTLE_THRESHOLD
    if beyond < 0:
        return timedelta(0)
    longest = settings.LOGIN_THROTTLE_MAX_DELAY
    # 2**20 first delays are far past any cap (and a larger power would overflow timedelta).
    return min(settings.LOGIN_THROTTLE_FIRST_DELAY * 2 ** min(beyond, 20), longest)


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    failures: int  # the failures on this username in the window before this attempt
    wait: timedelta  # more than zero: refused, this long is left to wait
    failure_id: int | None = None  # the row that counts this attempt while it is checked

    @property
    def refused(self) -> bool:
        return self.wait > timedelta(0)


@transaction.atomic
def login_attempt_start(
    *, username: str, device: uuid.UUID | None = None, trusted: bool = False
) -> LoginAttempt:
    """Refuse an attempt inside the username's delay; else count it as a failure at once
    (`login_attempt_succeeded` takes it back), so that attempts sent together cannot all slip
    in before any is counted."""
    now = timezone.now()
    # Serialise the decision for one account across the servers; the lock is held for a few
    # queries, never while the password is hashed.
    list(User.objects.select_for_update().filter(username=username).order_by().values_list("pk"))
    window_start = now - settings.LOGIN_THROTTLE_WINDOW
    LoginFailure.objects.filter(failed_at__lt=window_start).delete()
    key = username_key(username)
    recent = LoginFailure.objects.filter(username_key=key, failed_at__gte=window_start).aggregate(
        count=Count("pk"), last=Max("failed_at")
    )
    failures = recent["count"]
    delay = delay_after(failures)
    if delay and not trusted:
        wait = recent["last"] + delay - now
        if wait > timedelta(0):
            return LoginAttempt(username=username, failures=failures, wait=wait)
    failure = LoginFailure.objects.create(username_key=key, device=device, failed_at=now)
    return LoginAttempt(
        username=username, failures=failures, wait=timedelta(0), failure_id=failure.pk
    )


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The password was right: the attempt was no failure. The other failures stay: they are
    someone else's guesses as likely as the person's own typing."""
    # A refused attempt counted no failure (None): the filter then matches no row.
    LoginFailure.objects.filter(pk=attempt.failure_id).delete()  # type: ignore[misc]


def login_attempt_failed(*, attempt: LoginAttempt) -> None:
    """The password was wrong (the attempt is already counted): tell the operators when the
    username has just reached the threshold."""
    if attempt.failures + 1 == settings.LOGIN_THROTTLE_THRESHOLD:
        # A staff username is no resident's data; anything else typed there might be.
        exists = User.objects.filter(username=attempt.username).exists()
        log.warning(
            "Login throttle: %s failed logins in %s hours on %s; each further attempt from a "
            "browser without its device cookie now waits.",
            settings.LOGIN_THROTTLE_THRESHOLD,
            round(settings.LOGIN_THROTTLE_WINDOW.total_seconds() / 3600),
            f"the account {attempt.username!r}" if exists else "a username of no account",
        )


def login_failures_reset(*, username: str) -> int:
    """Forget the failures on `username` over every address (the operator's unlock)."""
    count, _ = LoginFailure.objects.filter(username_key=username_key(username)).delete()
    return count


# What the refused attempt is told -----------------------------------------------------------


def note_refusal(request: HttpRequest | None, wait: timedelta) -> None:
    if request is not None:
        setattr(request, _WAIT, wait)


def refused_wait(request: HttpRequest) -> timedelta | None:
    """How long the attempt just refused by the delay has to wait, or None if it was not."""
    return getattr(request, _WAIT, None)


def wait_in_minutes(wait: timedelta) -> int:
    """A wait as a person reads it: whole minutes, rounded up, at least one."""
    return max(1, math.ceil(wait.total_seconds() / 60))
