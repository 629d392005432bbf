"""A year of demo team meetings, about every two weeks: case discussions about demo
households, exchanges on approaches, trainings, organisation; actions for the staff, most
done, some open, a few late. Whatever staff accounts the demo holds take part."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from demo.catalogues.team import (
    CASE_ACTIONS,
    CASE_DECISIONS,
    CASE_SAID,
    CASE_TITLES,
    OTHER_ITEMS,
)
from ema.access import TEAM, can_see_every_site
from ema.accounts.models import User
from residents.models import Household
from team.models import AgendaItem, Meeting, MeetingAction

MEETINGS = 26  # a year, every two weeks
EVERY_DAYS = 14


@dataclass(frozen=True)
class TeamSummary:
    meetings: int
    items: int
    actions: int
    open_actions: int


def seed_team_meetings(*, seed: int = 2018) -> TeamSummary | None:
    """Add the year of meetings once (None when the demo already holds meetings, or no
    staff)."""
    if Meeting.objects.exists():
        return None
    staff = list(User.objects.filter(role__in=TEAM, is_active=True).order_by("pk"))
    if not staff:
        return None
    rng = random.Random(f"{seed}:team")  # noqa: S311 - invented data
    today = timezone.localdate()
    sites = {
        user.pk: [site.pk for site in user.sites.all()]
        for user in User.objects.filter(pk__in=[u.pk for u in staff]).prefetch_related("sites")
    }
    households: dict[int, list[int]] = {}
    for pk, site_id in Household.objects.filter(moved_out_on__isnull=True).values_list(
        "pk", "site_id"
    ):
        households.setdefault(site_id, []).append(pk)
    # The intervenants of the sites, most often there; coordination and direction, often.
    field_workers = [user for user in staff if not can_see_every_site(user)]
    others = [user for user in staff if can_see_every_site(user)]

    meetings, attendance = [], []
    for index in range(MEETINGS):
        held_on = today - timedelta(days=EVERY_DAYS * index + 3)
        attending = [user for user in field_workers if rng.random() < 0.85] or field_workers[:1]
        attending += [user for user in others if rng.random() < 0.6]
        attending = attending or staff[:1]
        meetings.append(Meeting(held_on=held_on, created_by=rng.choice(attending)))
        attendance.append(attending)
    Meeting.objects.bulk_create(meetings)
    Through = Meeting.participants.through
    Through.objects.bulk_create(
        [
            Through(meeting_id=meeting.pk, user_id=user.pk)
            for meeting, attending in zip(meetings, attendance, strict=True)
            for user in attending
        ]
    )

    items, owners = [], []
    for meeting, attending in zip(meetings, attendance, strict=True):
        position = 0
        # A case discussion is about a household of an attending intervenant's site.
        candidates = [
            pk
            for user in attending
            for site in sites.get(user.pk, [])
            for pk in households.get(site, [])
        ]
        for _ in range(rng.choice((1, 1, 2)) if candidates else 0):
            position += 1
            case = rng.randrange(len(CASE_TITLES))
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind=AgendaItem.Kind.CASE,
                    title=CASE_TITLES[case],
                    household_id=rng.choice(candidates),
                    said=CASE_SAID[case],
                    decisions=CASE_DECISIONS[case],
                )
            )
            owners.append((attending, CASE_ACTIONS[case]))
        kind = rng.choice(list(OTHER_ITEMS))
        title, said, decisions, action = rng.choice(OTHER_ITEMS[kind])
        position += 1
        items.append(
            AgendaItem(
                meeting=meeting,
                position=position,
                kind=kind,
                title=title,
                said=said,
                decisions=decisions,
            )
        )
        owners.append((attending, action))
    AgendaItem.objects.bulk_create(items)

    actions = []
    for item, (attending, what) in zip(items, owners, strict=True):
        if not what:
            continue
        due = item.meeting.held_on + timedelta(days=rng.choice((7, 10, 14, 21)))
        done = (due < today and rng.random() < 0.88) or (due >= today and rng.random() < 0.3)
        actions.append(
            MeetingAction(
                item=item,
                owner=rng.choice(attending),
                what=what,
                due_on=due,
                done_on=min(due - timedelta(days=rng.randint(0, 5)), today) if done else None,
                done_by=None,
            )
        )
    for action in actions:
        if action.done_on is not None:
            action.done_by = action.owner
    MeetingAction.objects.bulk_create(actions)
    return TeamSummary(
        meetings=len(meetings),
        items=len(items),
        actions=len(actions),
        open_actions=sum(1 for action in actions if action.done_on is None),
    )
