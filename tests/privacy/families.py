"""Households whose last activity was long ago, as retention finds them: their rows written
with past timestamps, their file full of names and free text to clear."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from interventions.models import Level
from partners.models import Organisation, Referral, ReferralEvent, Status
from residents.models import Consent, Household, Resident
from tests.factories import (
    ConsentFactory,
    GroupActivityFactory,
    HouseholdFactory,
    InterventionFactory,
    ParticipationFactory,
    ResidentFactory,
)

TODAY = timezone.localdate()


LONG_AGO = date(TODAY.year - 10, 5, 12)  # well past the 84 months of the default setting


RECENTLY = TODAY - timedelta(days=30)


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), timezone.get_current_timezone())


def backdate(obj, day: date) -> None:
    """Move a row's own timestamps to `day`, as if it had been written then."""
    names = {f.name for f in type(obj)._meta.concrete_fields}
    stamps = {"created_at", "updated_at", "status_changed_at", "at"} & names
    type(obj).objects.filter(pk=obj.pk).update(**dict.fromkeys(stamps, at_ten(day)))


def partner_organisation(name="CLSC Ahuntsic") -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": Organisation.Kind.HEALTH}
    )
    return organisation


def referral_on(household, resident, author, day, **fields) -> Referral:
    referral = Referral.objects.create(
        household=household,
        resident=resident,
        site=household.site,
        organisation=fields.pop("organisation", None) or partner_organisation(),
        reason=fields.pop("reason", "Besoin d’aide"),
        responsible=author,
        created_by=author,
        **fields,
    )
    backdate(referral, day)
    return referral


def household_on(site, *, day: date = LONG_AGO, moved_out: bool = True, **fields) -> Household:
    household = HouseholdFactory(
        site=site,
        moved_in_on=day - timedelta(days=900),
        status=Household.Status.MOVED_OUT if moved_out else Household.Status.ACTIVE,
        moved_out_on=day if moved_out else None,
        **fields,
    )
    backdate(household, day)
    return household


def member_since(household, day: date = LONG_AGO, consent=None, **fields) -> Resident:
    resident = ResidentFactory(household=household, **fields)
    consent = ConsentFactory(
        resident=resident, given_on=day - timedelta(days=800), **(consent or {})
    )
    backdate(consent, day - timedelta(days=800))
    backdate(resident, day - timedelta(days=800))
    return resident


def family(site, author, *, day: date = LONG_AGO, moved_out: bool = True) -> Household:
    """A household whose file names people, holds free text, and left copies of both in the
    audit history, with nothing after `day`."""
    household = household_on(
        site,
        day=day,
        moved_out=moved_out,
        label="Zwarthoed",
        unit="1250, app. 4",
        languages="français, créole",
    )
    mother = member_since(
        household,
        day,
        first_name="Ginette",
        last_name="Gaspésie",
        date_of_birth=date(1975, 2, 3),
        phone="514 555-0199",
        languages="créole",
    )
    # A rename: the history keeps the old name too.
    mother.last_name = "Zwarthoed"
    mother.save()
    child = member_since(
        household,
        day,
        first_name="Jean-Philippe",
        last_name="Zwarthoed",
        date_of_birth=date(day.year - 9, 9, 1),
        school="École Saint-Isaac-Jogues",
        consent={"given_by": Consent.GivenBy.GUARDIAN, "guardian_name": "Ginette Zwarthoed"},
    )
    visit = InterventionFactory(
        site=site,
        author=author,
        date=day - timedelta(days=40),
        level=Level.INDIVIDUAL,
        summary="Jean-Philippe dort chez sa tante.",
        decisions="Ginette Zwarthoed rappellera l’école.",
        restricted_note="Soupçon de violence à la maison.",
    )
    ParticipationFactory(intervention=visit, resident=child)
    activity = GroupActivityFactory(site=site)
    activity.registered.add(child)
    backdate(activity, day - timedelta(days=60))
    # A former member, deleted (as the household form could before members left with a
    # departure date): only the history remembers them.
    former = member_since(household, day, first_name="Zébulon", last_name="Zwarthoed")
    ParticipationFactory(
        intervention=InterventionFactory(
            site=site, author=author, date=day - timedelta(days=70), summary="Zébulon au parc."
        ),
        resident=former,
    )
    former.participations.all().delete()
    former.consents.all().delete()
    former.delete()
    referral = referral_on(
        household,
        mother,
        author,
        day - timedelta(days=20),
        reason="Ginette vit dans un logement insalubre.",
        information_shared="Téléphone de Ginette : 514 555-0199",
        consent_exception=Referral.ConsentException.SAFETY,
        exception_justification="Risque pour Jean-Philippe.",
        status=Status.SENT,
    )
    event = ReferralEvent.objects.create(
        referral=referral,
        old_status=Status.DRAFT,
        new_status=Status.SENT,
        by=author,
        note="Ginette a rappelé la travailleuse sociale.",
    )
    backdate(event, day - timedelta(days=20))
    for row in (mother, child, household):
        backdate(row, day - timedelta(days=10) if row is not household else day)
    return household
