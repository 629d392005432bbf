"""`manage.py unlock_login USERNAME [USERNAME ...]`: lift both lines of the login's lockout
for these usernames: the (username, address) locks of django-axes and the failures counted
over all addresses (ema.accounts.throttle)."""

from axes.utils import reset
from django.core.management.base import BaseCommand

from ema.accounts.throttle import login_failures_reset


class Command(BaseCommand):
    help = (
        "Unlock the login of these usernames at once: forget their failed logins from every "
        "address, so that neither the lock of an address nor the wait between attempts "
        "applies. The person's devices for two-factor authentication are not touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, usernames: list[str], **options):
        for username in usernames:
            addresses = reset(username=username)
            failures = login_failures_reset(username=username)
            self.stdout.write(
                f"{username}: {addresses} locked or counted address(es) and {failures} "
                "failure(s) over all addresses forgotten."
            )
