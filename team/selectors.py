"""Reads of team meetings for their pages, for « Mes suivis », the bell and the household's
timeline: a bounded number of queries whatever the data size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from ema.access import TEAM
from ema.accounts.models import User
from residents.access import can_open_household, can_open_resident
from residents.models import Household, Resident
from team.access import can_read_item, can_read_meeting
from team.models import AgendaItem, Meeting, MeetingAction

# The open actions shown in « Mes suivis », at most, and the case discussions in a timeline.
ACTIONS_SHOWN = 50
DISCUSSIONS_SHOWN = 10


def team_staff() -> QuerySet[User]:
    """The accounts that may attend a meeting and be given its actions."""
    return User.objects.filter(is_active=True, role__in=TEAM).order_by(
        "first_name", "last_name", "username"
    )


def meetings_for(*, user: User) -> QuerySet[Meeting]:
    """The meetings a person attended (all of them for the direction), newest first, with
    their participants and how many items each holds."""
    return (
        Meeting.objects.visible_to(user)
        .annotate(
            item_count=Count("items", distinct=True),
            case_count=Count("items", filter=Q(items__kind=AgendaItem.Kind.CASE), distinct=True),
        )
        .prefetch_related(Prefetch("participants", queryset=team_staff_any()))
        .order_by("-held_on", "-pk")
    )


def team_staff_any() -> QuerySet[User]:
    """Participants as listed (a former colleague stays named)."""
    return User.objects.order_by("first_name", "last_name", "username")


@dataclass(frozen=True)
class AgendaRow:
    """An item of the agenda, and whom it is about as the reader may name them: the
    resident's or household's name and page, or None for a file the reader may not open."""

    item: AgendaItem
    subject: str | None
    subject_url: str | None


def meeting_agenda(*, user: User, meeting: Meeting) -> list[AgendaRow]:
    """A meeting's items in order, with whom each is about and its actions (three
    queries)."""
    items = meeting.items.select_related(
        "household__site", "resident__household__site"
    ).prefetch_related(
        Prefetch(
            "actions",
            queryset=MeetingAction.objects.select_related("owner", "done_by").order_by(
                "due_on", "pk"
            ),
        )
    )
    rows = []
    for item in items:
        subject = url = None
        if item.resident is not None and can_open_resident(user, item.resident):
            subject, url = item.resident.name_and_home, item.resident.get_absolute_url()
        elif item.household is not None and can_open_household(user, item.household):
            subject, url = item.household.name_and_unit, item.household.get_absolute_url()
        rows.append(AgendaRow(item, subject, url))
    return rows


@dataclass(frozen=True)
class ActionRow:
    """An open action in someone's follow-ups; its text only if they may read the meeting."""

    action: MeetingAction
    readable: bool

    @property
    def due(self) -> date:
        return self.action.due_on


def open_actions_for(*, user: User) -> list[ActionRow]:
    """A person's open meeting actions, soonest first (at most ACTIONS_SHOWN)."""
    actions = (
        MeetingAction.objects.filter(owner=user, done_on__isnull=True)
        .select_related("item__meeting")
        .prefetch_related("item__meeting__participants")
        .order_by("due_on", "pk")[:ACTIONS_SHOWN]
    )
    return [ActionRow(action, can_read_item(user, action.item)) for action in actions]


def action_counts(*, user: User, today: date) -> dict[str, int]:
    """How many of a person's open meeting actions are overdue, and due today."""
    return MeetingAction.objects.filter(owner=user, done_on__isnull=True).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        due=Count("pk", filter=Q(due_on=today)),
    )


@dataclass(frozen=True)
class DiscussionTrace:
    """That a case discussion took place: its day and who attended; a link for those who
    may read it, nothing of its content for the others."""

    item: AgendaItem
    meeting: Meeting
    participants: list[User]
    readable: bool


def case_discussions_about(
    *, user: User, household: Household | None = None, residents: list[Resident] | None = None
) -> list[DiscussionTrace]:
    """The latest case discussions about a household or some of its residents (two
    queries)."""
    about = Q(pk__in=[])
    if household is not None:
        about |= Q(household=household)
    if residents:
        about |= Q(resident__in=residents)
    items = (
        AgendaItem.objects.filter(about, kind=AgendaItem.Kind.CASE)
        .select_related("meeting")
        .prefetch_related(Prefetch("meeting__participants", queryset=team_staff_any()))
        .order_by("-meeting__held_on", "-pk")[:DISCUSSIONS_SHOWN]
    )
    return [
        DiscussionTrace(
            item,
            item.meeting,
            list(item.meeting.participants.all()),
            can_read_meeting(user, item.meeting),
        )
        for item in items
    ]
