"""Factories of clinical support: supervision sessions and planned hours."""

from datetime import timedelta

import factory
from django.utils import timezone

from ema.accounts.models import Role
from support.models import SupervisionSession, SupervisionTheme, WorkPlan
from tests.factories import UserFactory


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """An individual session led by a colleague: pass `supervised=[...]` for its people."""

    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    kind = SupervisionSession.Kind.INDIVIDUAL
    supervisor = factory.SubFactory(UserFactory, role=Role.COORDINATION)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    duration_minutes = 60
    notes = "Discussion d’une situation de négligence; limites à poser avec la famille."
    created_by = factory.SelfAttribute("supervisor")

    @factory.post_generation
    def supervised(self, create, extracted, **kwargs):
        if create and extracted:
            self.supervised.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


def theme(name: str = "Fatigue de compassion") -> SupervisionTheme:
    return SupervisionTheme.objects.get_or_create(name=name)[0]


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    user = factory.SubFactory(UserFactory)
    hours_per_week = 35
