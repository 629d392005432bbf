"""The pages shown before a login is complete (the login, the second factor's pages, the
logout, a partner's link, an error page) send no request of their own: no service worker, no
offline bundle, no bell. A request still under way when the login or its code replaces the
session key would come back with the old key and end the new session. The browser's side is
in tests/e2e/test_pages_before_login_journey.py."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from ema.accounts.models import Role
from ema.accounts.two_factor import ENROLLED_AT_LOGIN_SESSION_KEY
from tests.factories import PASSWORD, UserFactory
from tests.logins import log_in, totp_device
from tests.url_table import EXPECTATIONS


def _markers() -> list[str]:
    """What a page that asks for the worker, the bundle or the bell holds."""
    return [
        "js/offline/page.js",
        "js/bell.js",
        "data-offline-worker",
        "data-offline-bundle",
        "data-reminder-count",
        reverse("offline:service_worker"),
        reverse("offline:bundle"),
        reverse("reminders:count"),
    ]


def _found(response) -> list[str]:
    html = response.content.decode()
    return [marker for marker in _markers() if marker in html]


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and not response.streaming


def _half_logged_in(client, user, *, enrolled: bool) -> None:
    """The password given, the second factor not yet: with a device to give a code from, or
    none yet (the enrolment page)."""
    if enrolled:
        totp_device(user)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.fixture(params=["anonymous", "direction_owing_a_code", "direction_to_enrol",
                        "intervenant_owing_a_code"])  # fmt: skip
def before_login(request, client, site_ss):
    """A browser whose session is not complete: nobody logged in, or a password given and the
    second factor still owed (the direction must give one; an intervenant who set one up too)."""
    if request.param.startswith("direction"):
        user = UserFactory(role=Role.DIRECTION)
        _half_logged_in(client, user, enrolled=request.param == "direction_owing_a_code")
    elif request.param == "intervenant_owing_a_code":
        user = UserFactory(role=Role.INTERVENANT, sites=[site_ss])
        _half_logged_in(client, user, enrolled=True)
        assert client.session.get(ENROLLED_AT_LOGIN_SESSION_KEY)
    return client


def test_every_page_before_a_complete_login_sends_no_request_of_its_own(before_login, world):
    _users, objects = world
    client = before_login
    rendered = []
    for route, (_method, target, _expected) in sorted(EXPECTATIONS.items()):
        args = [objects[target].pk] if target else []
        url = reverse(route, args=args)
        # Every address, asked as a browser would; where it leads (the login, the code or
        # the enrolment page) is among the addresses too.
        response = client.get(url)
        if _is_html(response):
            rendered.append(url)
            assert not _found(response), f"{url} ({response.status_code}): {_found(response)}"
    # The pages one sees at this stage were among them, and an address that does not exist.
    assert {reverse("accounts:login"), reverse("accounts:two_factor_verify")} & set(rendered)
    missing = client.get("/pas-une-page/")
    assert missing.status_code == 404
    assert not _found(missing)


def test_a_wrong_password_or_code_shows_its_page_again_without_them(client, direction):
    wrong = client.post(
        reverse("accounts:login"), {"username": direction.username, "password": "x"}
    )
    assert wrong.status_code == 400
    assert not _found(wrong)
    totp_device(direction)
    client.post(reverse("accounts:login"), {"username": direction.username, "password": PASSWORD})
    refused = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert refused.status_code == 400
    assert not _found(refused)


def test_the_page_after_a_logout_sends_nothing(client, intervenant_ss):
    log_in(client, intervenant_ss)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain
    assert not _found(response)


def test_a_complete_session_of_the_field_work_keeps_the_worker_the_bundle_and_the_bell(
    client, intervenant_ss, direction
):
    log_in(client, intervenant_ss)
    assert set(_found(client.get(reverse("interventions:my_day")))) == set(_markers())
    client.logout()
    log_in(client, direction)  # with the second factor given
    assert set(_found(client.get(reverse("dashboard")))) == set(_markers())
