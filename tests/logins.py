"""How the tests log in: the direction and the administrators with their second factor too.

`log_in(client, user)` gives a session as after the password and the code; the browser
journeys log in through the page (`browser_log_in`) and type a real code, from
`next_code(device)`."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from ema.accounts.models import User
from tests.factories import PASSWORD


def totp_device(user) -> TOTPDevice:
    """The person's confirmed authenticator app, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def next_code(device: TOTPDevice) -> str:
    """A code that `device` accepts now.

    django-otp refuses a time step already used (`last_t`); its tolerance of one step
    accepts the next one, so a second login within 30 seconds needs no wait."""
    device.refresh_from_db()
    now = int(time.time() - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def log_in(client, user):
    """Log the test client in as `user`, verified with an app when the role requires it."""
    client.force_login(user)
    if user.requires_two_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()
    return client


def browser_log_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login page in Chromium, typing the code when the role needs one."""
    user = User.objects.get(username=username)
    # The direction and the administrators type a code from their phone after the password.
    device = totp_device(user) if user.requires_two_factor else None
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    # Wait for the login's answer (the next page, or the form again with its error): a page
    # opened before it lands would cancel the form's POST and find the person logged out.
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        page.locator("#id_code").fill(next_code(device))
        page.locator("#id_code").press("Enter")
        page.wait_for_url(lambda url: "/compte/double-authentification/" not in url)
    # The page one lands on asks for things of its own (the bell, the offline bundle, the
    # worker): let them end, so that the test's next page does not cut them under way.
    page.wait_for_load_state("networkidle")
