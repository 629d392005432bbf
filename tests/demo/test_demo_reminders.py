"""The demo's bell: every demo account of the field work finds something waiting on it, as the
README promises (the research account has no bell)."""

import pytest
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS
from demo.activity import seed_activity
from demo.households import seed_demo
from demo.network import seed_network
from ema.access import can_open_the_field_work
from ema.accounts.models import User
from reminders.selectors import reminders_for

pytestmark = pytest.mark.django_db


def test_every_demo_account_has_reminders_in_its_bell():
    seed_demo()
    seed_activity(days=120)
    seed_network()
    today = timezone.localdate()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        if not can_open_the_field_work(user):
            continue
        assert reminders_for(user=user, today=today), account.username
