"""Access to partners and referrals: one helper per object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.access import (
    can_act_on_referrals,
    can_follow_up_commitments,
    can_manage_concertation,
    can_manage_partners,
)
from ema.accounts.models import User
from partners.links import token_hash
from partners.models import (
    Commitment,
    ConcertationMeeting,
    Organisation,
    PartnerLink,
    Referral,
)


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


def partner_link_for_token(token: str) -> PartnerLink:
    """The link a token opens, whether it still works or not (the page says why not); an
    unknown token is a 404. The token is the only key: no account, no role."""
    return get_object_or_404(
        PartnerLink.objects.select_related(
            "referral__organisation",
            "referral__service",
            "referral__consent",
            "contact__organisation",
        ),
        token_hash=token_hash(token),
    )


def partner_link_for_user(user: User, pk: int) -> PartnerLink:
    """A link of a referral the user sees, for those who act on referrals (to revoke it)."""
    link = get_object_or_404(
        PartnerLink.objects.filter(referral__in=Referral.objects.visible_to(user)).select_related(
            "referral"
        ),
        pk=pk,
    )
    if not can_act_on_referrals(user):
        raise PermissionDenied
    return link


def meeting_for_user(user: User, pk: int, *, write: bool = False) -> ConcertationMeeting:
    """A concertation meeting: every role of the team reads it (the network's record, not a
    site's); the managers record and edit it."""
    meeting = get_object_or_404(ConcertationMeeting.objects.select_related("table"), pk=pk)
    if write and not can_manage_concertation(user):
        raise PermissionDenied
    return meeting


def commitment_for_user(user: User, pk: int) -> Commitment:
    """A commitment whose follow-up the user records (kept, dropped, opened again)."""
    commitment = get_object_or_404(Commitment.objects.select_related("meeting"), pk=pk)
    if not can_follow_up_commitments(user):
        raise PermissionDenied
    return commitment
