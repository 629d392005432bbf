"""Access to partners and referrals: one helper per object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.accounts.models import Role
from partners.models import Organisation, Referral

PARTNER_MANAGERS = frozenset({Role.COORDINATION, Role.DIRECTION, Role.ADMIN})


def can_manage_partners(user) -> bool:
    """Coordination keeps the directory; the direction and administrators may too."""
    return user.is_active and user.role in PARTNER_MANAGERS


def can_act_on_referrals(user) -> bool:
    """Coordination manages every referral and intervenants those of their sites (which are
    the only ones they see); the direction reads them."""
    return user.is_active and user.role in {Role.COORDINATION, Role.INTERVENANT, Role.ADMIN}


def organisation_for_user(user, pk: int, *, write: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.select_related("committee_site"), pk=pk)
    if write and not can_manage_partners(user):
        raise PermissionDenied
    return organisation


def referral_for_user(user, pk: int, *, write: bool = False) -> Referral:
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
