"""factory-boy factories of partners and referrals."""

from datetime import timedelta

import factory
from django.utils import timezone

from ema.accounts.models import Role
from partners.models import (
    Agreement,
    Commitment,
    ConcertationMeeting,
    Contact,
    Organisation,
    Referral,
    Service,
    Status,
)
from partners.services import referral_save, referral_set_status
from residents.models import Consent
from tests.factories import ConsentedResidentFactory, ConsentFactory, UserFactory

# The shortest way from a draft to each status, through the workflow.
PATHS = {
    Status.DRAFT: [],
    Status.SENT: [Status.SENT],
    Status.ACCEPTED: [Status.SENT, Status.ACCEPTED],
    Status.IN_PROGRESS: [Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS],
    Status.COMPLETED: [Status.SENT, Status.ACCEPTED, Status.COMPLETED],
    Status.REFUSED: [Status.SENT, Status.REFUSED],
    Status.NO_FOLLOW_UP: [Status.SENT, Status.NO_FOLLOW_UP],
    Status.CANCELLED: [Status.CANCELLED],
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisme partenaire {n}")
    kind = Organisation.Kind.COMMUNITY
    address = factory.Faker("street_address", locale="fr_CA")
    phone = "514 555-0123"
    email = factory.Sequence(lambda n: f"accueil{n}@partenaire.example.org")

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class TenantCommitteeFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Comité des locataires {n}")
    kind = Organisation.Kind.TENANT_COMMITTEE
    committee_site = factory.SubFactory("tests.factories.SiteFactory")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Accueil, écoute et accompagnement."
    languages = "français, anglais"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="fr_CA")
    role = "Intervenante"
    phone = "514 555-0199"
    email = factory.Sequence(lambda n: f"contact{n}@partenaire.example.org")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Agreement.Kind.SERVICES
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class ShareConsentFactory(ConsentFactory):
    """The consent to share with a partner of the directory."""

    class Params:
        organisation = factory.SubFactory(OrganisationFactory)

    resident = factory.SubFactory(ConsentedResidentFactory)
    purpose = Consent.Purpose.SHARE
    partner = factory.SelfAttribute("organisation")


def move(referral: Referral, *statuses: str, by=None, **values) -> Referral:
    """Walk a referral through some statuses with the service; returns the fresh row."""
    for status in statuses:
        extra = {"outcome": Referral.Outcome.MET} if status == Status.COMPLETED else {}
        extra.update(values)
        referral = referral_set_status(
            referral=referral, status=status, by=by or referral.responsible, **extra
        )
    return referral


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft outgoing referral of a named resident, saved by the service with its first
    step. `consented=True` adds the resident's consent to share with the partner;
    `status=...` then walks it through the workflow (sending needs consent or an exception)."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    class Params:
        consented = factory.Trait(
            consent=factory.SubFactory(
                ShareConsentFactory,
                resident=factory.SelfAttribute("..resident"),
                organisation=factory.SelfAttribute("..organisation"),
            )
        )

    resident = factory.SubFactory(ConsentedResidentFactory)
    household = factory.LazyAttribute(lambda r: r.resident.household if r.resident else None)
    site = factory.LazyAttribute(lambda r: r.household.site)
    organisation = factory.SubFactory(OrganisationFactory)
    reason = "Recherche d'un logement plus grand; la famille attend depuis deux ans."
    responsible = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("responsible")
    status = Status.DRAFT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status")
        referral = referral_save(referral=model_class(**kwargs), by=kwargs["created_by"])
        if status != Status.DRAFT:
            referral = move(referral, *PATHS[status])
        return referral


class ConcertationTableFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Table de concertation {n}")
    kind = Organisation.Kind.CONCERTATION_TABLE


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcertationMeeting
        skip_postgeneration_save = True

    table = factory.SubFactory(ConcertationTableFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    decisions = "Une fête de quartier en juin."
    created_by = factory.SubFactory(UserFactory, role=Role.COORDINATION)

    @factory.post_generation
    def partners_present(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners_present.set(extracted)

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """An open commitment; `status` with `status_by` gives a kept or dropped one."""

    class Meta:
        model = Commitment

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    what = "Présenter le service aux familles."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
