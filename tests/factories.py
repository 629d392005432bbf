"""factory-boy factories for the whole project."""

from datetime import date, time, timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from downloads.models import PreparedFile
from ema.accounts.models import Role, User
from interventions.models import (
    GroupActivity,
    Intervention,
    InterventionType,
    Level,
    Participation,
    Place,
    Theme,
)
from interventions.summaries import Bucket, summaries_refresh
from residents.models import Consent, Household, Resident, Site

PASSWORD = "un-mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.Faker("last_name", locale="fr_CA")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.INTERVENANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)
        if create:
            self.save()


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Site {n}")
    address = factory.Faker("street_address", locale="fr_CA")
    unit_count = 120
    community_room = "Local communautaire"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    site = factory.SubFactory(SiteFactory)
    unit = factory.Sequence(lambda n: f"{1000 + n}, app. {n % 12 + 1}")
    label = factory.Faker("last_name", locale="fr_CA")
    languages = "français"
    moved_in_on = date(2019, 7, 1)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Faker("first_name", locale="fr_CA")
    last_name = factory.LazyAttribute(lambda r: r.household.label)
    date_of_birth = date(1985, 3, 14)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    resident = factory.SubFactory(ResidentFactory)
    purpose = Consent.Purpose.KEEP_FILE
    given_by = factory.LazyAttribute(
        lambda c: (
            Consent.GivenBy.GUARDIAN
            if c.resident.is_under_age_of_consent()
            else Consent.GivenBy.PERSON
        )
    )
    guardian_name = factory.LazyAttribute(
        lambda c: "Parent de l'enfant" if c.given_by == Consent.GivenBy.GUARDIAN else ""
    )
    given_on = factory.LazyFunction(timezone.localdate)
    obtained_by = factory.SubFactory(UserFactory)


class ConsentedResidentFactory(ResidentFactory):
    """A resident with the consent to keep a file, as every named resident has."""

    class Meta:
        skip_postgeneration_save = True

    consent = factory.RelatedFactory(ConsentFactory, factory_related_name="resident")


class InterventionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionType
        django_get_or_create = ["name"]

    name = "Présence informelle"
    default_level = Level.COLLECTIVE


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ["name"]

    name = "Local communautaire"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = "Loisirs"


class InterventionFactory(factory.django.DjangoModelFactory):
    """An informal presence with a headcount, today, at the author's first site."""

    class Meta:
        model = Intervention

    level = Level.COLLECTIVE
    type = factory.SubFactory(InterventionTypeFactory)
    place = factory.SubFactory(PlaceFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = time(16, 0)
    duration_minutes = 60
    site = factory.SubFactory(SiteFactory)
    author = factory.SubFactory(UserFactory)
    count_6_12 = 4
    count_13_17 = 2
    summary = "Présence dans la cour, jeux de ballon."

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def co_intervenants(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_intervenants.set(extracted)

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        # As the services do: the figures' monthly summary of its month is computed again
        # (a test that adds themes or colleagues afterwards calls count_in_summaries).
        if create:
            count_in_summaries([obj])


class GroupActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupActivity

    name = "Aide aux devoirs"
    site = factory.SubFactory(SiteFactory)
    season = "Automne 2026"
    schedule = "Mardis 16 h"
    type = factory.SubFactory(
        InterventionTypeFactory, name="Aide aux devoirs", default_level=Level.GROUP
    )
    place = factory.SubFactory(PlaceFactory)
    usual_duration = 90


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    intervention = factory.SubFactory(InterventionFactory)
    resident = factory.SubFactory(ConsentedResidentFactory)
    role = Participation.Role.PARTICIPANT

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        if create:
            count_in_summaries([obj.intervention])


def count_in_summaries(interventions):
    """Compute again the monthly summaries of the months of `interventions` (rows written
    by a test past the services: a factory, bulk_create, update())."""
    summaries_refresh(buckets={Bucket.of(i.site_id, i.date) for i in interventions})


def resident_of(site, **values):
    return ConsentedResidentFactory(household=HouseholdFactory(site=site), **values)


def bulk_interventions(count, *, author, site, day=None, **values):
    """Many interventions fast: no factory save, no signals."""
    type_ = InterventionTypeFactory()
    place = PlaceFactory()
    day = day or timezone.localdate()
    Intervention.objects.bulk_create(
        InterventionFactory.build(
            type=type_,
            place=place,
            site=site,
            author=author,
            date=day - timedelta(days=index % 60),
            **values,
        )
        for index in range(count)
    )
    count_in_summaries(Intervention.objects.filter(site=site).only("site", "date"))


FIRST_NAMES = ["Étienne", "Amina", "Jean-Philippe", "Marie-Ève", "Yasmine", "Karim", "Léa", "Noah"]


def bulk_households(count, *, site, label="Famille"):
    """Many households of one site fast (bulk_create skips save(): the search key is set here)."""
    households = [
        Household(
            site=site,
            unit=f"{site.pk}-{n}, app. {n % 12 + 1}",
            label=f"{label} {n}",
            moved_in_on=date(2019, 7, 1),
        )
        for n in range(count)
    ]
    for household in households:
        household.search_key = Household.key_of(label=household.label, unit=household.unit)
    return Household.objects.bulk_create(households)


def bulk_residents(count, *, households):
    """`count` residents spread over `households`, named without a factory's saves."""
    residents = []
    for n in range(count):
        household = households[n % len(households)]
        resident = Resident(
            household=household,
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=household.label,
            birth_year=1960 + n % 60,
        )
        resident.search_key = Resident.key_of(
            first_name=resident.first_name, last_name=resident.last_name
        )
        residents.append(resident)
    return Resident.objects.bulk_create(residents)


def bulk_named_interventions(count, *, author, site, residents):
    """`count` individual interventions of the last months, each naming one of `residents`."""
    bulk_interventions(count, author=author, site=site, level=Level.INDIVIDUAL)
    interventions = list(Intervention.objects.filter(site=site).order_by("pk"))[-count:]
    Participation.objects.bulk_create(
        Participation(intervention=intervention, resident=residents[n % len(residents)])
        for n, intervention in enumerate(interventions)
    )
    count_in_summaries(interventions)
    return interventions


def prepared_file_of(owner) -> PreparedFile:
    """A file a job prepared for `owner`, ready to download."""
    prepared = PreparedFile.objects.create(
        owner=owner, kind="interventions", state=PreparedFile.State.READY, rows_total=1
    )
    prepared.file.save("interventions.csv", ContentFile(b"Date\n2026-01-05\n"), save=False)
    prepared.filename, prepared.fmt = "interventions.csv", "csv"
    prepared.save()
    return prepared
