"""The demo's paths to power: a believable ladder over the demo's year (tens of participants
per site, a handful of volunteers and organisers, a few committee officers, two or three
board members), roles recorded by hand for part of the residents, once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from demo.activity import seed_activity
from demo.empowerment import BOARD_SEATS, seed_empowerment
from demo.households import seed_demo
from demo.network import seed_network
from ema.accounts.models import User
from ema.periods import fiscal_year_of, quarter_of
from empowerment.models import RoleRecord
from empowerment.selectors import ladder_of
from residents.models import Site

pytestmark = pytest.mark.django_db
# Days of activity: enough for the last quarter that is over, whatever the day.
DAYS = 200


def test_the_demo_ladder_is_believable_and_its_roles_are_recorded_once(db):
    seed_demo()
    seed_activity(days=DAYS)
    seed_network()
    summary = seed_empowerment()

    roles = Counter(RoleRecord.objects.values_list("role", flat=True))
    assert 9 <= roles[RoleRecord.Role.VOLUNTEER] <= 18
    assert 3 <= roles[RoleRecord.Role.ORGANISER] <= 6
    assert 3 <= roles[RoleRecord.Role.RESIDENTS_COMMITTEE] <= 6
    assert 2 <= roles[RoleRecord.Role.BOARD] <= BOARD_SEATS
    assert RoleRecord.objects.filter(until__isnull=False).exists()  # some stopped
    assert summary.memberships >= 3  # regulars who joined their committee during the year
    for role in RoleRecord.objects.all():
        role.full_clean()
    assert seed_empowerment().roles == 0

    direction = User.objects.get(username="direction")
    last_over = quarter_of(quarter_of(timezone.localdate()).start - timedelta(days=1))
    for site in Site.objects.all():
        ladder = ladder_of(user=direction, year=fiscal_year_of(last_over.start), site=site)
        quarter = next(q for q in ladder.quarters if q.period == last_over)
        counts = quarter.counts
        assert counts[0] + counts[1] >= 20, (site, counts)  # tens of participants
        assert 3 <= counts[2] + counts[3] <= 25, (site, counts)  # a handful of helpers
        assert 1 <= counts[5] <= 8, (site, counts)  # a few officers and EMA seats
        assert quarter.new or quarter.moved_up
