"""One access helper per object: each returns the object when the user may see it (and
change it, with write=True), or raises Http404 / PermissionDenied."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.accounts.models import Role
from residents.models import Consent, Household, Resident


def can_edit_household(user, household: Household) -> bool:
    """The file of a household that moved out is closed; only the direction and the
    administrators may still correct it. An anonymised file is closed for everyone."""
    if household.anonymised_on is not None:
        return False
    return not household.has_moved_out or user.role in {Role.DIRECTION, Role.ADMIN}


def household_for_user(user, pk: int, *, write: bool = False) -> Household:
    household = get_object_or_404(Household.objects.visible_to(user).select_related("site"), pk=pk)
    if write and not can_edit_household(user, household):
        raise PermissionDenied
    return household


def resident_for_user(user, pk: int, *, write: bool = False) -> Resident:
    resident = get_object_or_404(
        Resident.objects.visible_to(user).select_related("household__site"), pk=pk
    )
    if write and not can_edit_household(user, resident.household):
        raise PermissionDenied
    return resident


def consent_for_user(user, pk: int, *, write: bool = False) -> Consent:
    consent = get_object_or_404(
        Consent.objects.filter(resident__in=Resident.objects.visible_to(user)).select_related(
            "resident__household__site"
        ),
        pk=pk,
    )
    if write and not can_edit_household(user, consent.resident.household):
        raise PermissionDenied
    return consent
