"""Hand-built paths over fiscal year 2025-2026 (April 2025 to March 2026) and the quarter
before it (January to March 2025), on Saint-Sulpice and André-Grasset."""

from datetime import date

import pytest

from empowerment.models import RoleRecord
from interventions.models import Level, Participation
from partners.models import CommitteeMembership
from tests.empowerment.paths import Climb, attend
from tests.factories import (
    GroupActivityFactory,
    UserFactory,
    resident_of,
)
from tests.partners.factories import TenantCommitteeFactory


@pytest.fixture
def climb(site_ss, site_ag):
    """On Saint-Sulpice: a resident who climbs from participant (Q1) to committee member (Q2)
    to committee president (Q3, Q4); one who volunteered the quarter before the year and came
    to one session in Q1, then nothing; one who came back three times in October (Q3). On
    André-Grasset: an organiser of a collective action in Q2 and a board member all year."""
    activity = GroupActivityFactory(site=site_ss)
    author = UserFactory()
    climber = resident_of(site_ss, first_name="Grimpeuse")
    stepper = resident_of(site_ss, first_name="Quirine")
    returning = resident_of(site_ss, first_name="Revenante")
    organiser = resident_of(site_ag, first_name="Organisatrice")
    board = resident_of(site_ag, first_name="Administratrice")
    committee = TenantCommitteeFactory(committee_site=site_ss)

    attend(climber, date(2025, 5, 6), activity=activity)
    attend(climber, date(2025, 7, 8), activity=activity)
    attend(climber, date(2025, 8, 12), activity=activity)
    CommitteeMembership.objects.create(
        committee=committee, resident=climber, since=date(2025, 9, 1), until=date(2025, 11, 30)
    )
    CommitteeMembership.objects.create(
        committee=committee,
        resident=climber,
        role=CommitteeMembership.Role.PRESIDENT,
        since=date(2025, 12, 1),
    )
    RoleRecord.objects.create(
        resident=stepper,
        role=RoleRecord.Role.VOLUNTEER,
        since=date(2025, 1, 10),
        until=date(2025, 3, 31),
        created_by=author,
    )
    attend(stepper, date(2025, 6, 3), activity=activity)
    for day in (2, 9, 16):
        attend(returning, date(2025, 10, day), activity=activity)
    attend(organiser, date(2025, 8, 20), level=Level.COLLECTIVE, role=Participation.Role.ORGANISER)
    RoleRecord.objects.create(
        resident=board, role=RoleRecord.Role.BOARD, since=date(2025, 4, 1), created_by=author
    )
    return Climb(climber, stepper, returning, organiser, board)
