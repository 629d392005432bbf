"""Access to partners and referrals: one helper per object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.access import can_act_on_referrals, can_manage_partners
from ema.accounts.models import User
from partners.models import Organisation, Referral


def organisation_for_user(user: User, pk: int, *, write: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("committee_site"), pk=pk)
    if write and not can_manage_partners(user):
        raise PermissionDenied
    return organisation


def referral_for_user(user: User, pk: int, *, write: bool = False) -> Referral:
    referral = get_object_or_404(
        Referral.objects.visible_to(user).select_related(
            "organisation",
            "service",
            "resident__household",
            "household__site",
            "responsible",
            "consent__partner",
            "created_by",
        ),
        pk=pk,
    )
    if write and not can_act_on_referrals(user):
        raise PermissionDenied
    return referral
