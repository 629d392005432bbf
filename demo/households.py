"""Demo data: the three Ahuntsic sites with invented households, residents, consents and one
account per role. Deterministic for a seed and a day, and safe to run again."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.catalogues.households import (
    COMMUNITIES,
    PARTNERS,
    PRIMARY_SCHOOLS,
    SECONDARY_SCHOOLS,
    Community,
)
from demo.sites import SiteSpec, site_specs
from demo.team import seed_team
from ema.accounts.models import Role, User
from residents.models import Consent, Household, Resident, Site

WOMAN, MAN = Resident.Gender.WOMAN, Resident.Gender.MAN


@dataclass(frozen=True)
class DemoSummary:
    """What a run found and added."""

    sites: int
    sites_filled: int
    households: int
    residents: int
    consents: int
    accounts_created: int


@transaction.atomic
def seed_demo(*, scale: int = 1, seed: int = 2018) -> DemoSummary:
    """Create the demo sites, accounts and the rest of the team and, on sites without
    households yet, the households with their residents and consents."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    specs = site_specs(scale)
    sites = [
        Site.objects.get_or_create(
            name=spec.name,
            defaults={
                "address": spec.address,
                "unit_count": spec.unit_count,
                "community_room": spec.community_room,
            },
        )[0]
        for spec in specs
    ]
    intervenants, accounts_created = _accounts(sites)
    seed_team()
    fakers = {c.locale: Faker(c.locale) for c in COMMUNITIES if c.locale}
    today = timezone.localdate()
    households: list[Household] = []
    residents: list[Resident] = []
    consents: list[Consent] = []
    filled = 0
    for index, (spec, site) in enumerate(zip(specs, sites, strict=True)):
        if site.households.exists():
            continue
        filled += 1
        # One stream per site: a site's data does not depend on which other sites exist.
        rng = random.Random(f"{seed}:{spec.name}")  # noqa: S311 - invented data, not secrets
        for faker in fakers.values():
            faker.seed_instance(f"{seed}:{spec.name}")
        staff = intervenants[index % len(intervenants)]
        for household, members in _site_households(rng, fakers, spec, site, today):
            households.append(household)
            residents.extend(members)
            consents.extend(_consents(rng, household, members, staff, today))
    Household.objects.bulk_create(households, batch_size=500)
    Resident.objects.bulk_create(residents, batch_size=500)
    Consent.objects.bulk_create(consents, batch_size=500)
    return DemoSummary(len(sites), filled, len(households), len(residents), len(consents),
                       accounts_created)  # fmt: skip


def _accounts(sites: list[Site]) -> tuple[list[User], int]:
    """Get or create the demo accounts; extra sites go to the intervenants in turn."""
    created = 0
    intervenants = []
    for account in DEMO_ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.org",
            },
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        if account.role == Role.INTERVENANT:
            intervenants.append(user)
    for index, site in enumerate(sites):
        intervenants[index % len(intervenants)].sites.add(site)
    return intervenants, created


def _site_households(rng, fakers, spec: SiteSpec, site: Site, today: date):
    """Yield (household, members) for one site: one household per unit, a few of which
    moved out, with the unit then possibly taken again."""
    units = [f"{c}, app. {a}" for c in spec.civics for a in range(1, spec.units_per_building + 1)]
    vacant = rng.sample(units, len(units))  # shuffled; occupied units are popped from it
    for _ in units:
        community = rng.choices(COMMUNITIES, weights=[c.weight for c in COMMUNITIES])[0]
        faker = fakers.get(community.locale)
        status = Household.Status.ACTIVE
        moved_out_on = None
        if rng.random() < 0.06:
            status = Household.Status.MOVED_OUT
            moved_out_on = today - timedelta(days=rng.randint(30, 800))
            moved_in_on = moved_out_on - timedelta(days=rng.randint(365, 12 * 365))
            unit = rng.choice(units)
        else:
            if rng.random() < 0.05:
                status = Household.Status.INACTIVE
            moved_in_on = today - timedelta(days=rng.randint(60, 25 * 365))
            unit = vacant.pop()
        members = _members(rng, faker, community, moved_out_on or today)
        surnames = dict.fromkeys(m.last_name for m in members[:2])  # a couple may keep both
        household = Household(
            site=site,
            unit=unit,
            label="-".join(surnames),
            languages=community.languages,
            moved_in_on=moved_in_on,
            moved_out_on=moved_out_on,
            status=status,
        )
        # bulk_create skips the save() that folds the search keys.
        household.search_key = Household.key_of(label=household.label, unit=unit)
        for member in members:
            member.household = household
        yield household, members


def _composition(rng) -> tuple[list[int], bool]:
    """Ages of one household's members, an adult first, and whether the second is a partner."""
    kind = rng.choices(
        ("single", "elders", "single_parent", "couple_kids", "three_generations", "young_adults"),
        weights=(12, 10, 21, 34, 8, 15),
    )[0]
    if kind == "single":
        return [rng.randint(19, 64)], False
    if kind == "elders":
        ages = [rng.randint(65, 92) for _ in range(rng.choice((1, 1, 2)))]
        return ages, len(ages) == 2
    if kind == "young_adults":
        kids = [rng.randint(18, 25) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.4:
            kids.append(rng.randint(12, 17))
        parents = rng.choice((1, 2))
    else:
        count = rng.choices((1, 2, 3, 4, 5), weights=(33, 33, 20, 9, 5))[0]
        kids = [rng.randint(2 * (count - 1), 17)]
        for _ in range(count - 1):
            kids.append(max(kids[-1] - rng.randint(1, 4), 0))  # siblings a few years apart
        parents = 1 if kind == "single_parent" else 2
    parent_age = min(kids[0] + rng.randint(20, 36), 64)
    ages = [parent_age] + [parent_age + rng.randint(-4, 6) for _ in range(parents - 1)]
    if kind == "three_generations":
        ages.append(parent_age + rng.randint(22, 30))
    return (ages + sorted(kids, reverse=True))[:7], parents == 2


def _members(rng, faker: Faker | None, community: Community, on: date) -> list[Resident]:
    """Unsaved residents of one household, ages taken on the day `on`."""
    ages, couple = _composition(rng)
    head_gender = WOMAN if rng.random() < 0.65 else MAN
    surname = _surname(rng, faker, community)
    home = community.languages.split(", ")[0]
    # Children go to French school (Bill 101) and speak the home language too.
    child_languages = "français" if home == "français" else f"français, {home}"
    members = []
    for position, age in enumerate(ages):
        gender = rng.choice((WOMAN, MAN))
        if position == 0:
            gender = head_gender
        elif position == 1 and couple:
            gender = MAN if head_gender == WOMAN else WOMAN
        elif age >= 14 and rng.random() < 0.03:
            gender = rng.choice((Resident.Gender.NON_BINARY, Resident.Gender.UNDISCLOSED))
        born = on - timedelta(days=int(age * 365.25) + rng.randint(1, 364))
        last_name = surname
        if position == 1 and couple and rng.random() < 0.6:
            last_name = _surname(rng, faker, community)
        first_name = _first_name(rng, faker, community, gender, taken=members)
        members.append(
            Resident(
                first_name=first_name,
                last_name=last_name,
                # Some adults only gave their birth year.
                date_of_birth=None if age >= 18 and rng.random() < 0.1 else born,
                birth_year=born.year,  # bulk_create skips the save() that sets it
                search_key=Resident.key_of(first_name=first_name, last_name=last_name),
                gender=gender,
                languages=community.languages if age >= 18 else child_languages,
                phone=f"514 555-01{rng.randint(0, 99):02d}" if age >= 16 else "",
                school=_school(rng, age),
            )
        )
    return members


def _surname(rng, faker: Faker | None, community: Community) -> str:
    return faker.last_name() if faker else rng.choice(community.surnames)


def _first_name(
    rng, faker: Faker | None, community: Community, gender: str, taken: list[Resident]
) -> str:
    """A first name for the gender that nobody else in the household has."""
    woman = gender == WOMAN or (gender != MAN and rng.random() < 0.5)
    for _ in range(20):
        if faker:
            name = faker.first_name_female() if woman else faker.first_name_male()
        else:
            name = rng.choice(community.women if woman else community.men)
        if name not in {member.first_name for member in taken}:
            break
    return name


def _school(rng, age: int) -> str:
    if 5 <= age <= 11:
        return rng.choice(PRIMARY_SCHOOLS)
    if 12 <= age <= 16:
        return rng.choice(SECONDARY_SCHOOLS)
    return ""


def _consents(
    rng, household: Household, members: list[Resident], staff: User, today: date
) -> list[Consent]:
    """A consent to keep a file for every member (a guardian's under 14); a few consents to
    share with a partner; a few withdrawn."""
    end = household.moved_out_on or today
    guardian = members[0].full_name
    consents = []
    for resident in members:
        born = resident.date_of_birth or date(resident.birth_year, 12, 31)
        start = max(household.moved_in_on, born, today - timedelta(days=3 * 365))
        purposes = [(Consent.Purpose.KEEP_FILE, "")]
        if rng.random() < 0.1:
            purposes.append((Consent.Purpose.SHARE, rng.choice(PARTNERS)))
        for purpose, partner in purposes:
            given_on = start + timedelta(days=rng.randint(0, (end - start).days))
            withdrawn_on = None
            if rng.random() < (0.03 if purpose == Consent.Purpose.KEEP_FILE else 0.15):
                withdrawn_on = given_on + timedelta(days=rng.randint(0, (end - given_on).days))
            minor = resident.is_under_age_of_consent(given_on)
            consents.append(
                Consent(
                    resident=resident,
                    purpose=purpose,
                    partner_name=partner,
                    given_by=Consent.GivenBy.GUARDIAN if minor else Consent.GivenBy.PERSON,
                    guardian_name=guardian if minor else "",
                    given_on=given_on,
                    obtained_by=staff,
                    withdrawn_on=withdrawn_on,
                )
            )
            start = given_on  # a consent to share comes after the file exists
    return consents
