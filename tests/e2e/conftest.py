"""Browser journeys in the real headless Chromium of the machine, through Playwright.

Without Chromium the journeys are skipped with a visible reason; under CI=true a missing
browser fails the run instead, so CI can never pass without them."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Playwright sees (and can cut) the service worker's own requests only with this set before
# its driver starts: the offline journeys need it (tests/e2e/offline.py).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _missing_browser() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def _is_journey(item) -> bool:
    return "tests/e2e/" in str(item.fspath).replace(os.sep, "/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Journeys run on a transactional database that is emptied after each of them: they go
    # last, after pytest-django's other transactional tests, so that in one process no later
    # test finds the reference lists of the migrations gone. Where a worker of pytest-xdist
    # runs a test after one of them anyway, tests/conftest.py loads those rows back first.
    items[:] = [item for item in items if not _is_journey(item)] + [
        item for item in items if _is_journey(item)
    ]
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but the browser tests cannot run: {reason}")
    skip = pytest.mark.skip(reason=f"browser journeys skipped: {reason}")
    for item in items:
        if _is_journey(item):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone-sized screen: the intervenants' usual device. Reduced motion: Bootstrap then opens
    # the menu and its dropdowns without a transition, so a journey never presses something in
    # a menu still opening (under pytest-xdist, two browsers share the cores and it lasts).
    return {
        **browser_context_args,
        "viewport": {"width": 375, "height": 667},
        "locale": "fr-CA",
        "reduced_motion": "reduce",
    }
