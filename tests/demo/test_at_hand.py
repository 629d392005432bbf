"""The demo intervenants keep a few residents of their own site at hand, once."""

import pytest

from demo.accounts import DEMO_ACCOUNTS
from demo.at_hand import PER_INTERVENANT, seed_at_hand
from demo.households import seed_demo
from ema.accounts.models import Role, User
from offline.models import AtHand

pytestmark = pytest.mark.django_db


def test_each_demo_intervenant_keeps_people_of_their_site_once():
    seed_demo()
    assert seed_at_hand() == PER_INTERVENANT * 3
    assert seed_at_hand() == 0  # safe to run again
    # The colleagues of the team who do not log in keep nobody: the phone is an account's.
    usernames = [account.username for account in DEMO_ACCOUNTS]
    assert not AtHand.objects.exclude(user__username__in=usernames).exists()
    for user in User.objects.filter(role=Role.INTERVENANT, username__in=usernames):
        kept = AtHand.objects.filter(user=user).select_related("resident__household")
        assert len(kept) == PER_INTERVENANT
        assert {row.resident.household.site_id for row in kept} <= set(
            user.sites.values_list("pk", flat=True)
        )
