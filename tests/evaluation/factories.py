"""Factories of the developmental evaluation."""

import factory
from django.utils import timezone

from evaluation.models import JournalEntry
from tests.factories import UserFactory


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    date = factory.LazyFunction(timezone.localdate)
    kind = JournalEntry.Kind.DECISION
    title = factory.Sequence(lambda n: f"Ateliers du mardi déplacés au soir {n}")
    rationale = "La participation baissait l’après-midi; on essaie le soir pour les parents."
    author = factory.SubFactory(UserFactory)
    figures = factory.LazyFunction(
        lambda: [{"key": "participation", "label": "Participation", "rows": [["séances", 12]]}]
    )
    figures_period = factory.LazyFunction(
        lambda: {
            "label": "novembre 2026",
            "start": "2026-11-01",
            "end": "2026-11-30",
            "site": "tous les sites",
        }
    )
