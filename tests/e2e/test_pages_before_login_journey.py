"""In Chromium, the login page and the second factor's page send no request of their own: none
to the service worker, the offline bundle or the bell, which the pages of a complete session
do ask for. (A request still under way when the code is accepted would come back with the
session key that the code's login replaced.) The HTML side:
tests/accounts/test_pages_before_login.py."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.helpers import french
from tests.logins import next_code, totp_device

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _background() -> dict[str, str]:
    return {
        reverse("offline:service_worker"): "the service worker",
        reverse("offline:bundle"): "the offline bundle",
        reverse("reminders:count"): "the bell",
    }


class Requests:
    """Every request of the browser context (its pages' and its workers'), by path."""

    def __init__(self, page: Page) -> None:
        self.paths: list[str] = []
        page.context.on("request", lambda request: self.paths.append(urlsplit(request.url).path))

    def background(self, since: int = 0) -> list[str]:
        """What was asked of the worker, the bundle and the bell (from request `since` on)."""
        wanted = _background()
        return [wanted[path] for path in self.paths[since:] if path in wanted]

    def settle(self, page: Page) -> None:
        """Let the page's scripts run and whatever they would ask for leave."""
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        page.wait_for_load_state("networkidle")


def test_the_login_and_the_code_pages_ask_for_nothing_the_next_page_does(
    page: Page, live_server, direction
):
    device = totp_device(direction)
    requests = Requests(page)

    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    requests.settle(page)
    assert requests.paths, "the recorder saw the login page's own files"
    assert requests.background() == []

    page.get_by_label("Nom d’utilisateur").fill(direction.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=french("Two-factor authentication"))).to_be_visible()
    requests.settle(page)
    assert requests.background() == []

    # A wrong code shows the page again: still nothing.
    page.get_by_label(french("Code")).fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name=french("Verify")).click()
    requests.settle(page)
    assert requests.background() == []

    # Once the code is given, the session is complete: its first page asks for all three.
    page.get_by_label(french("Code")).fill(next_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name=french("Verify")).click()
    expect(page.get_by_role("link", name=french("Reminders"))).to_be_visible()
    requests.settle(page)
    assert set(requests.background()) == set(_background().values())


def test_the_login_page_after_a_logout_asks_for_nothing(page: Page, live_server, intervenant_ss):
    requests = Requests(page)
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Nom d’utilisateur").fill(intervenant_ss.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    requests.settle(page)
    assert "the service worker" in requests.background()  # registered by the session's page

    page.get_by_role("button", name=french("Show the menu")).click()
    page.locator("#main-nav .dropdown-toggle").click()
    log_out = page.get_by_role("button", name=french("Log out"))
    expect(log_out).to_be_visible()
    seen = len(requests.paths)
    with page.expect_navigation():
        log_out.click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    requests.settle(page)
    assert requests.background(since=seen) == []
