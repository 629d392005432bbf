"""Partner links: the token a partner's contact holds, its hash (all EMA keeps), and the
budget of openings that keeps a guesser or a forwarded email from hammering the page."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ema.accounts.throttle import client_address

TOKEN_BYTES = 32
WINDOW_SECONDS = 60 * 60


class TokenConverter:
    """The token part of a partner link's address: 43 URL-safe characters, random, never a
    name (so an address of the project still names no one)."""

    regex = "[A-Za-z0-9_-]{43}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def new_token() -> str:
    """A fresh token, for the email only: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of a token: a keyed hash (SECRET_KEY), so a copy of the database
    alone neither holds a working link nor lets one check a guess."""
    return salted_hmac("ema.partners.links", token, algorithm="sha256").hexdigest()


def _spend(key: str, budget: int) -> bool:
    """Spend one opening of the hour's budget under `key`; False once it is spent."""
    hour = int(timezone.now().timestamp()) // WINDOW_SECONDS
    key = f"partner-link:{key}:{hour}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new hour
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= budget


def within_budget(request: HttpRequest, token: str) -> bool:
    """Whether this request may open a link: each address and each token (known or not, so
    that guessing costs the same) have their hourly budget."""
    address = client_address(request) or "unknown"
    by_address = _spend(f"address:{address}", settings.PARTNER_LINK_HOURLY_PER_ADDRESS)
    by_link = _spend(f"link:{token_hash(token)[:32]}", settings.PARTNER_LINK_HOURLY_PER_LINK)
    return by_address and by_link
