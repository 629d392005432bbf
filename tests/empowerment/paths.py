"""What the tests of the ladder build paths with: a resident named in a session or an action."""

from dataclasses import dataclass

from interventions.models import Level, Participation
from residents.models import Resident
from tests.factories import InterventionFactory, ParticipationFactory, UserFactory


@dataclass
class Climb:
    climber: Resident
    stepper: Resident
    returning: Resident
    organiser: Resident
    board: Resident


def attend(resident, day, *, activity=None, level=Level.GROUP, role=Participation.Role.PARTICIPANT):
    """The resident named in a session of `activity` (or a collective action) on `day`."""
    site = resident.household.site
    intervention = InterventionFactory(
        site=site,
        level=level,
        date=day,
        activity=activity,
        author=UserFactory(sites=[site]),
    )
    return ParticipationFactory(intervention=intervention, resident=resident, role=role)
