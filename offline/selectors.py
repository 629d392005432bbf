"""What the offline pages show and what the phone may keep: name-free, but for the residents
that the person keeps at hand."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ema.access import can_edit_intervention
from ema.accounts.models import User
from interventions.models import GroupActivity, Intervention, InterventionType
from interventions.selectors import frequent_types, involving
from offline.models import AtHand
from residents.models import Resident

# The group activities the phone keeps: those of the person's sites, the first ones of the day.
ACTIVITIES_KEPT = 12


@dataclass
class OfflineDay:
    """Ma journée as the phone keeps it: what was logged today, without anyone's name."""

    today: list[Intervention]
    editable: set[int]
    activities: list[GroupActivity]
    frequent_types: list[InterventionType]


def residents_at_hand(*, user: User) -> list[Resident]:
    """The residents `user` keeps at hand and may still name (of their sites, still living in
    their household), in the order they were added."""
    return list(
        Resident.objects.visible_to(user)
        .current()
        .filter(pk__in=AtHand.objects.filter(user=user).values("resident_id"))
        .select_related("household__site")
        .order_by("search_key", "pk")
    )


def is_at_hand(*, user: User, resident: Resident) -> bool:
    return AtHand.objects.filter(user=user, resident=resident).exists()


def activities_of_today(*, user: User) -> QuerySet[GroupActivity]:
    """The active group activities of `user`'s sites, by their usual start time."""
    return (
        GroupActivity.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("site", "type", "place")
        .order_by("usual_start_time", "name", "pk")[:ACTIVITIES_KEPT]
    )


def offline_day(*, user: User) -> OfflineDay:
    today = list(
        Intervention.objects.filter(involving(user), date=timezone.localdate())
        .select_related("type", "place", "site")
        .order_by("start_time", "pk")
    )
    return OfflineDay(
        today=today,
        editable={item.pk for item in today if can_edit_intervention(user, item)},
        activities=list(activities_of_today(user=user)),
        frequent_types=frequent_types(user=user),
    )
