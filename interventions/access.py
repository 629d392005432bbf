"""Access to interventions and group activities: one helper per object."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.access import can_edit_intervention
from ema.accounts.models import User
from interventions.models import GroupActivity, Intervention, Tally


def intervention_for_user(user: User, pk: int, *, write: bool = False) -> Intervention:
    intervention = get_object_or_404(
        Intervention.objects.visible_to(user).select_related(
            "type", "place", "site", "author", "activity", "follow_up_by"
        ),
        pk=pk,
    )
    if write and not can_edit_intervention(user, intervention):
        raise PermissionDenied
    return intervention


def activity_for_user(user: User, pk: int) -> GroupActivity:
    """Everyone who sees a site may see and run its group activities."""
    return get_object_or_404(
        GroupActivity.objects.visible_to(user).select_related("site", "type", "place"), pk=pk
    )


def tally_for_user(user: User, pk: int) -> Tally:
    """A running tally is its author's alone, open or closed: nobody else sees it."""
    return get_object_or_404(
        Tally.objects.filter(author=user).select_related("type", "place", "site"), pk=pk
    )
