from datetime import timedelta

import factory
from django.utils import timezone

from team.models import AgendaItem, Meeting, MeetingAction
from tests.factories import HouseholdFactory, UserFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create:
            self.participants.set(extracted or [self.created_by])


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = AgendaItem.Kind.CASE
    title = "Situation d’une famille du 3e étage"
    household = factory.SubFactory(HouseholdFactory)
    said = "La mère se dit épuisée; l’aîné ne va plus à l’école depuis deux semaines."
    decisions = "Proposer une rencontre avec la travailleuse sociale de l’école."


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    item = factory.SubFactory(AgendaItemFactory)
    owner = factory.LazyAttribute(lambda action: action.item.meeting.created_by)
    what = "Appeler l’école pour fixer la rencontre"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))


def case_discussion_of(household, *, participants, owner=None, **fields) -> AgendaItem:
    """A meeting of `participants` with a case discussion about `household` and one action
    (for `owner`, the first participant by default)."""
    meeting = MeetingFactory(created_by=participants[0], participants=participants)
    item = AgendaItemFactory(meeting=meeting, household=household, **fields)
    MeetingActionFactory(item=item, owner=owner or participants[0])
    return item
