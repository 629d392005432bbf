"""The director sets up two-factor authentication at the first login, then logs in with a
code from the phone, and with a recovery code."""

import re
from base64 import b32decode

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.helpers import french
from tests.logins import next_code

# serialized_rollback brings back the reference lists of the data migrations after each journey.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def type_password(page: Page, username: str) -> None:
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page: Page, person: str) -> None:
    page.get_by_role("button", name=french("Show the menu")).click()
    page.get_by_role("button", name=person).click()
    # Wait for the menu's animations to end before pressing the button inside them.
    log_out_button = page.get_by_role("button", name=french("Log out"))
    expect(log_out_button).to_be_visible()
    with page.expect_navigation(timeout=15_000):
        log_out_button.click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible(timeout=15_000)


def test_the_director_enrols_then_logs_in_with_a_code_and_with_a_recovery_code(
    page: Page, live_server, direction
):
    # First login: the password, then the enrolment page, whatever page was asked for.
    page.goto(f"{live_server.url}/")
    type_password(page, direction.username)
    expect(
        page.get_by_role("heading", name=french("Set up two-factor authentication"))
    ).to_be_visible()
    qr_code = page.get_by_role("img", name=french("QR code to scan with the authenticator app"))
    expect(qr_code).to_be_visible()
    # The phone's app would scan the QR code; the key shown beside it gives the same codes.
    secret = page.locator("#two-factor-secret").inner_text()
    key = b32decode(re.sub(r"\s", "", secret))
    page.get_by_label(french("6-digit code")).fill(f"{totp(key):06d}")
    page.get_by_role("button", name=french("Turn on two-factor authentication")).click()

    expect(page.get_by_role("heading", name=french("Your recovery codes"))).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name=french("I have kept my codes, continue")).click()
    expect(page.get_by_role("heading", name=french("This month"))).to_be_visible()
    log_out(page, str(direction))

    # Second login: the password, then a fresh code from the app, straight to the dashboard.
    page.goto(f"{live_server.url}/tableau-de-bord/")
    type_password(page, direction.username)
    expect(page.get_by_role("heading", name=french("Two-factor authentication"))).to_be_visible()
    device = TOTPDevice.objects.get(user=direction, confirmed=True)
    assert device.bin_key == key
    page.get_by_label(french("Code")).fill(next_code(device))
    page.get_by_role("button", name=french("Verify")).click()
    expect(page.get_by_role("heading", name=french("Dashboard"))).to_be_visible()
    assert page.url == f"{live_server.url}/tableau-de-bord/"
    log_out(page, str(direction))

    # Third login, without the phone: a recovery code, which then no longer works.
    type_password(page, direction.username)
    page.get_by_label(french("Code")).fill(codes[0])
    page.get_by_role("button", name=french("Verify")).click()
    expect(page.get_by_role("heading", name=french("This month"))).to_be_visible()
    with translation.override("fr-ca"):
        nine_left = ngettext(
            "You used a recovery code: %(left)s code is left. Make new ones from the "
            "two-factor authentication page.",
            "You used a recovery code: %(left)s codes are left. Make new ones from the "
            "two-factor authentication page.",
            9,
        ) % {"left": 9}
    expect(page.get_by_text(nine_left)).to_be_visible()
