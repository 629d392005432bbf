"""How the tests log in: the direction and the administrators with their second factor too.

`log_in(client, user)` gives a session as after the password and the code; the browser
journeys type a real code, from `next_code(device)`."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


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
