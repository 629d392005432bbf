"""Reads of the residents domain for pages, with their related rows fetched up front."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ema.accounts.models import User
from ema.folding import folded, folded_terms
from ema.history import HistoryEntry, history_for
from residents.models import (
    RENEWAL_NOTICE_DAYS,
    Consent,
    ConsentQuerySet,
    Household,
    Resident,
    Site,
)


def sites_with_counts(*, user: User) -> QuerySet[Site]:
    """The sites a user sees, with their active households and those households' residents."""
    active = ~Q(households__status=Household.Status.MOVED_OUT)
    living = active & Q(households__members__left_on__isnull=True)
    return Site.objects.visible_to(user).annotate(
        household_count=Count("households", filter=active, distinct=True),
        resident_count=Count("households__members", filter=living, distinct=True),
    )


def household_search(
    *, user: User, q: str = "", site: Site | None = None, status: str = ""
) -> QuerySet[Household]:
    """Households a user sees, searched by household name, unit or a member's name."""
    households = Household.objects.visible_to(user).select_related("site")
    if site is not None:
        households = households.filter(site=site)
    if status:
        households = households.filter(status=status)
    for term in folded_terms(q):
        member_named = Resident.objects.filter(household=OuterRef("pk"), search_key__contains=term)
        households = households.filter(Q(search_key__contains=term) | Exists(member_named))
    return households.annotate(member_count=Count("members")).order_by("search_key", "pk")


def _consents_prefetch() -> "Prefetch[Literal['consents'], ConsentQuerySet]":
    return Prefetch(
        "consents",
        queryset=Consent.objects.select_related("obtained_by", "partner").order_by("-given_on"),
    )


def household_members(*, household: Household) -> list[Resident]:
    return list(
        # A Prefetch on a manager made by as_manager(): a false arg-type in django-stubs 5.2
        # (typeddjango/django-stubs#3263, fixed upstream).
        household.members.prefetch_related(_consents_prefetch()).order_by(  # type: ignore[arg-type]
            F("left_on").asc(nulls_first=True), "birth_year", "first_name"
        )
    )


def resident_consents(*, resident: Resident) -> list[Consent]:
    return list(
        resident.consents.select_related("obtained_by", "partner").order_by("-given_on", "-pk")
    )


def household_history(*, household: Household, members: list[Resident]) -> list[HistoryEntry]:
    """Changes to the household, its members and their consents."""
    consent_ids = [consent.pk for member in members for consent in member.consents.all()]
    return history_for(
        [
            (Household, [household.pk]),
            (Resident, [member.pk for member in members]),
            (Consent, consent_ids),
        ],
        labels={
            (Household, household.pk): household.display_name,
            **{(Resident, member.pk): member.full_name for member in members},
        },
    )


def resident_history(*, resident: Resident, consents: list[Consent]) -> list[HistoryEntry]:
    return history_for(
        [(Resident, [resident.pk]), (Consent, [consent.pk for consent in consents])],
        labels={(Resident, resident.pk): resident.full_name},
    )


# A type-ahead offers a handful of names: the person types more to narrow them.
LOOKUP_LIMIT = 20
LOOKUP_MIN_LENGTH = 2


def residents_to_name(*, user: User, q: str, household: object = None) -> list[Resident]:
    """The people of `user`'s sites still living in their household whose name holds every
    word of `q` (at least two letters), for a type-ahead. Given a `household` (a raw POST
    value), only its members, listed even before a letter is typed."""
    residents = Resident.objects.visible_to(user).current()
    if household is not None:
        if not str(household).isdigit():
            return []
        residents = residents.filter(household=int(str(household)))
    elif len(q.strip()) < LOOKUP_MIN_LENGTH:
        return []
    return list(
        residents.matching(q)
        .select_related("household")
        .order_by("search_key", "pk")[:LOOKUP_LIMIT]
    )


def households_to_name(*, user: User, q: str) -> list[Household]:
    """The households of `user`'s sites found by name, unit or a member's name, for a
    type-ahead."""
    if len(q.strip()) < LOOKUP_MIN_LENGTH:
        return []
    return list(household_search(user=user, q=q)[:LOOKUP_LIMIT])


# Two files are likely one person's when the family names fold alike, the first names start
# alike and the birth years are at most this far apart (a year guessed, a date mistyped).
DUPLICATE_BIRTH_YEARS = 1
DUPLICATE_FIRST_LETTERS = 3
DUPLICATES_SHOWN = 50


@dataclass(frozen=True)
class Person:
    """Who is about to be named: what the duplicate check compares."""

    first_name: str
    last_name: str
    birth_year: int | None

    @property
    def key_prefix(self) -> str:
        """The start of the search key of anyone of a similar name (Resident.key_of)."""
        return f"{folded(self.last_name)} {folded(self.first_name)[:DUPLICATE_FIRST_LETTERS]}"

    def may_be(self, resident: Resident) -> bool:
        return (
            self.birth_year is not None
            and resident.birth_year is not None
            and abs(resident.birth_year - self.birth_year) <= DUPLICATE_BIRTH_YEARS
            and resident.search_key.startswith(self.key_prefix)
        )


def likely_duplicates(*, user: User, people: Sequence[Person]) -> list[list[Resident]]:
    """For each person about to be named, the residents of the sites `user` sees who are
    likely the same (see DUPLICATE_BIRTH_YEARS), in one query."""
    similar = Q()
    for person in people:
        if person.birth_year is not None and folded(person.last_name):
            similar |= Q(
                search_key__startswith=person.key_prefix,
                birth_year__range=(
                    person.birth_year - DUPLICATE_BIRTH_YEARS,
                    person.birth_year + DUPLICATE_BIRTH_YEARS,
                ),
            )
    if not similar:
        return [[] for _ in people]
    found = list(
        Resident.objects.visible_to(user)
        .filter(similar, household__anonymised_on__isnull=True)
        .select_related("household__site")
        .order_by("search_key", "pk")[:DUPLICATES_SHOWN]
    )
    return [[resident for resident in found if person.may_be(resident)] for person in people]


@dataclass(frozen=True)
class ConsentToRenew:
    """A consent ending soon, by reference only: a digest or a bell carries counts and
    links, never a name (the resident's page, opened with the reader's rights, shows it)."""

    consent_id: int
    purpose: str
    partner_id: int | None
    ends_on: date
    resident_id: int
    household_id: int
    site_id: int
    site_name: str

    @property
    def resident_url(self) -> str:
        return reverse("residents:resident_detail", args=[self.resident_id])


@dataclass(frozen=True)
class SiteRenewals:
    """What needs renewing on one site: consents ending soon, and residents who reached
    the age of consent on a guardian's consent (Resident.own_consent_due_since)."""

    site_id: int
    site_name: str
    ending: int
    own_consent_due: int


def _ending_consents(*, user: User, within_days: int, on: date | None) -> ConsentQuerySet:
    on = on or timezone.localdate()
    return Consent.objects.ending_by(on=on, last_day=on + timedelta(days=within_days)).filter(
        resident__in=_renewable_residents(user=user)
    )


def _renewable_residents(*, user: User) -> QuerySet[Resident]:
    return Resident.objects.visible_to(user).reachable()


def consents_to_renew(
    *, user: User, within_days: int = RENEWAL_NOTICE_DAYS, on: date | None = None
) -> list[ConsentToRenew]:
    """The consents in force of the residents `user` sees that end within `within_days`
    days of `on` (today) and are not renewed yet, soonest first, in one query."""
    rows = (
        _ending_consents(user=user, within_days=within_days, on=on)
        .order_by("expires_on", "pk")
        .values_list(
            "pk",
            "purpose",
            "partner_id",
            "expires_on",
            "resident_id",
            "resident__household_id",
            "resident__household__site_id",
            "resident__household__site__name",
        )
    )
    return [ConsentToRenew(*row) for row in rows]


def consents_to_renew_by_site(
    *, user: User, within_days: int = RENEWAL_NOTICE_DAYS, on: date | None = None
) -> list[SiteRenewals]:
    """Per site `user` sees, the consents ending within `within_days` days (not renewed)
    and the residents to give their own consent at the age of consent; sites with nothing
    to renew are left out. Three queries, whatever the number of sites."""
    ending = dict(
        _ending_consents(user=user, within_days=within_days, on=on)
        .values_list("resident__household__site_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    due = dict(
        _renewable_residents(user=user)
        .filter(own_consent_due_since__isnull=False)
        .values_list("household__site_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    sites = Site.objects.filter(pk__in={*ending, *due}).order_by("name").values_list("pk", "name")
    return [
        SiteRenewals(
            site_id=pk, site_name=name, ending=ending.get(pk, 0), own_consent_due=due.get(pk, 0)
        )
        for pk, name in sites
    ]


@dataclass(frozen=True)
class OwnConsentDue:
    """A resident who reached the age of consent on a guardian's consent, by reference only
    (see ConsentToRenew)."""

    resident_id: int
    due_since: date
    household_id: int
    site_id: int
    site_name: str

    @property
    def resident_url(self) -> str:
        return reverse("residents:resident_detail", args=[self.resident_id])


def residents_to_give_own_consent(*, user: User) -> list[OwnConsentDue]:
    """The residents `user` sees who are marked to give their own consent (the daily
    duties' rule of the age of consent), longest waiting first, in one query."""
    rows = (
        _renewable_residents(user=user)
        .filter(own_consent_due_since__isnull=False)
        .order_by("own_consent_due_since", "pk")
        .values_list(
            "pk",
            "own_consent_due_since",
            "household_id",
            "household__site_id",
            "household__site__name",
        )
    )
    return [
        OwnConsentDue(
            resident_id=pk, due_since=since, household_id=household, site_id=site, site_name=name
        )
        for pk, since, household, site, name in rows
        if since is not None  # filtered above; for the type checker
    ]
