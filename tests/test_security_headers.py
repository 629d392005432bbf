"""Headers that protect the residents' files in the browser."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD


def test_pages_forbid_inline_scripts_and_framing(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("interventions:my_day"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_pages_of_a_logged_in_person_are_never_stored(client_as, intervenant_ss):
    response = client_as(intervenant_ss).get(reverse("residents:household_list"))
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_carries_the_policy_too(client):
    assert "Content-Security-Policy" in client.get(reverse("accounts:login"))


PRODUCTION_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in %r}))
"""
CHECKED = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
]


def production_settings() -> dict:
    """The settings a server gets with only DEBUG off, a key and its host name."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SECURE_", "SESSION_", "CSRF_", "EMA_TESTING"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-secret-key-for-a-settings-test-0123456789",
        ALLOWED_HOSTS="ema.example.org",
        DJANGO_SETTINGS_MODULE="ema.settings",
    )
    output = subprocess.run(  # noqa: S603 -- our own interpreter and a constant script
        [sys.executable, "-c", PRODUCTION_SETTINGS % CHECKED],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout
    return json.loads(output)


def test_production_settings_force_https_and_protect_cookies():
    values = production_settings()
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True


def test_an_https_response_carries_hsts_and_the_referrer_policy(
    settings, client_as, intervenant_ss
):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_as(intervenant_ss).get(reverse("interventions:my_day"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_secure_and_hidden_from_scripts(settings, client, intervenant_ss):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        reverse("accounts:login"),
        {"username": intervenant_ss.username, "password": PASSWORD},
        secure=True,
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
