"""One access helper per object: each returns the object when the user may see it (and
change it, with write=True), or raises Http404 / PermissionDenied.

And one rule for names: a resident's name, or any field of their file, is shown only to
someone who may open that file (`can_open_resident`); lists of people shown elsewhere (a
committee's members, an intervention's participants) go through `people_shown`, which names
those and counts the others."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.access import can_correct_a_closed_file, can_see_site
from ema.accounts.models import User
from residents.models import Consent, Household, Resident

Item = TypeVar("Item")


def can_open_household(user: User, household: Household) -> bool:
    """The same rule as `Household.objects.visible_to(user)`, on a household in hand."""
    return can_see_site(user, household.site_id)


def can_open_resident(user: User, resident: Resident) -> bool:
    """The same rule as `Resident.objects.visible_to(user)`, on a resident in hand (with
    their household fetched)."""
    return can_open_household(user, resident.household)


@dataclass(frozen=True)
class PeopleShown(Generic[Item]):
    """The rows of a list of people that a person may read by name, and how many others."""

    shown: list[Item]
    others: int

    def __iter__(self) -> Iterator[Item]:
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown) + self.others

    def __bool__(self) -> bool:
        return bool(self.shown) or self.others > 0


@overload
def people_shown(user: User, items: Iterable[Resident]) -> PeopleShown[Resident]: ...
@overload
def people_shown(
    user: User, items: Iterable[Item], *, resident: Callable[[Item], Resident]
) -> PeopleShown[Item]: ...
def people_shown(
    user: User, items: Iterable[Any], *, resident: Callable[[Any], Resident] = lambda item: item
) -> PeopleShown[Any]:
    """Split rows that name residents (memberships, participations, residents...) into those
    the user may read and a count of the others, "2 people from another site"."""
    shown: list[Any] = []
    others = 0
    for item in items:
        if can_open_resident(user, resident(item)):
            shown.append(item)
        else:
            others += 1
    return PeopleShown(shown=shown, others=others)


def can_edit_household(user: User, household: Household) -> bool:
    """The file of a household that moved out is closed; only the direction and the
    administrators may still correct it. An anonymised file is closed for everyone."""
    if household.anonymised_on is not None:
        return False
    return not household.has_moved_out or can_correct_a_closed_file(user)


def household_for_user(user: User, pk: int, *, write: bool = False) -> Household:
    household = get_object_or_404(Household.objects.visible_to(user).select_related("site"), pk=pk)
    if write and not can_edit_household(user, household):
        raise PermissionDenied
    return household


def resident_for_user(user: User, pk: int, *, write: bool = False) -> Resident:
    resident = get_object_or_404(
        Resident.objects.visible_to(user).select_related("household__site"), pk=pk
    )
    if write and not can_edit_household(user, resident.household):
        raise PermissionDenied
    return resident


def consent_for_user(user: User, pk: int, *, write: bool = False) -> Consent:
    consent = get_object_or_404(
        Consent.objects.filter(resident__in=Resident.objects.visible_to(user)).select_related(
            "resident__household__site"
        ),
        pk=pk,
    )
    if write and not can_edit_household(user, consent.resident.household):
        raise PermissionDenied
    return consent
