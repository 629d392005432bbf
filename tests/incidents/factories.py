"""Factories of the register of confidentiality incidents."""

from datetime import timedelta

import factory
from django.utils import timezone

from ema.accounts.models import Role
from incidents.models import Incident
from tests.factories import UserFactory


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Courriel au mauvais destinataire {n}")
    information = "Nom et adresse de deux ménages."
    circumstances = "Une liste de présence a été envoyée par courriel au mauvais partenaire."
    started_on = factory.LazyFunction(lambda: days_ago(10))
    aware_on = factory.LazyFunction(lambda: days_ago(8))
    people_count = 2
    sensitivity = "Faible : noms et adresses, sans information de santé."
    consequences = "Peu probables : le partenaire a supprimé le courriel."
    likelihood = "Faible."
    risk = Incident.Risk.LOW
    measures = "Le partenaire a confirmé la suppression; rappel à l’équipe."
    recorded_by = factory.SubFactory(UserFactory, role=Role.DIRECTION)

    class Params:
        serious = factory.Trait(
            risk=Incident.Risk.SERIOUS,
            sensitivity="Élevée : informations de santé de mineurs.",
            likelihood="Réelle : le dossier a été volé.",
        )
