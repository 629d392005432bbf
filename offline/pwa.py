"""The installable app: its manifest, and what its service worker keeps and serves offline.

The service worker is versioned by the static files it keeps: the version is a hash of each
file's address (hashed by the manifest storage in production) and content, so that a deploy
that changes any of them installs a new worker, which drops the previous one's caches.
"""

import hashlib
import re
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from django.utils.translation import gettext as _

THEME_COLOUR = "#1f5f7a"

# Every static file that base.html and the offline pages load: the worker keeps them, so that a
# page it serves without a network looks and works as it does online (tests/offline checks the
# list against the pages' own <link> and <script> tags).
ASSETS = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/tom-select/css/tom-select.bootstrap5.min.css",
    "vendor/tom-select/js/tom-select.complete.min.js",
    "vendor/idb/umd.js",
    "css/ema.css",
    "img/icon.svg",
    "img/bell.svg",
    "img/icon-192.png",
    "img/icon-512.png",
    "img/icon-maskable-512.png",
    "img/apple-touch-icon.png",
    "js/forms.js",
    "js/bell.js",
    "js/picker.js",
    "js/offline/store.js",
    "js/offline/page.js",
    "js/offline/signed-out.js",
]
# What the worker itself loads (importScripts), kept with its version too.
WORKER_SCRIPTS = ["vendor/idb/umd.js", "js/offline/store.js", "js/offline/worker.js"]


def _content(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found if isinstance(found, str) else found[0], "rb") as file:
            return file.read()
    with staticfiles_storage.open(path) as file:
        return file.read()


def _compute_version() -> str:
    digest = hashlib.sha256()
    for path in sorted({*ASSETS, *WORKER_SCRIPTS}):
        digest.update(staticfiles_storage.url(path).encode())
        digest.update(hashlib.sha256(_content(path)).digest())
    return digest.hexdigest()[:16]


_cached_version = cache(_compute_version)


def version() -> str:
    """The worker's version: in development files change under a running server."""
    return _compute_version() if settings.DEBUG else _cached_version()


def manifest() -> dict:
    start = reverse("interventions:my_day")
    icon = staticfiles_storage.url
    return {
        "id": start,
        "name": _("EMA — L'Entre-Maisons Ahuntsic"),
        "short_name": "EMA",
        "description": _("Log the team's work in the housing sites, with or without a network."),
        "lang": "fr-CA",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": icon("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": icon("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": icon("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": icon("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
        "shortcuts": [
            {"name": _("Quick log"), "url": reverse("interventions:quick_log")},
        ],
    }


def worker_config() -> dict:
    """What the service worker is told: its version, what it keeps, where the offline pages
    are, and the words of the page it shows when it has none."""
    return {
        "version": version(),
        "scripts": [staticfiles_storage.url(path) for path in WORKER_SCRIPTS],
        "assets": [staticfiles_storage.url(path) for path in ASSETS]
        + [reverse("offline:manifest")],
        "static_prefix": settings.STATIC_URL
        if settings.STATIC_URL.startswith("/")
        else "/" + settings.STATIC_URL,
        "routes": offline_routes(),
        "day": reverse("offline:day"),
        "fallback": {
            "title": _("Offline"),
            "text": _(
                "This page was not kept on this device. Log in once with a network: the quick "
                "log and My day will then open without one."
            ),
        },
    }


def offline_routes() -> list[list[str]]:
    """Which offline page stands in for a page that cannot be reached: pairs of a path
    pattern (a regular expression) and the offline page's path ("{1}": the first group)."""
    day = reverse("offline:day")

    def exactly(path: str) -> str:
        return "^" + re.escape(path) + "$"

    marker = "999999"
    session = exactly(reverse("interventions:session_create", args=[marker]))
    return [
        [exactly(reverse("home")), day],
        [exactly(reverse("interventions:my_day")), day],
        [exactly(reverse("interventions:quick_log")), reverse("offline:quick_log")],
        [
            session.replace(marker, r"(\d+)"),
            reverse("offline:session", args=[marker]).replace(marker, "{1}"),
        ],
        ["^" + re.escape(day) + ".*$", "{0}"],
    ]
