"""Who may read and change a team meeting, its items and its actions: one helper decides.

A meeting's page, and so every item's content, is for the staff who attended it and for the
direction; anyone else gets a 404 (they do not learn that it exists). The owner of an action
may also mark it done from their follow-ups, and reads its text only if they may read the
meeting."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ema.access import can_read_every_team_meeting, can_take_part_in_team_meetings
from ema.accounts.models import User
from team.models import AgendaItem, Meeting, MeetingAction


def attended(user: User, meeting: Meeting) -> bool:
    """Whether `user` is among the meeting's participants (prefetched ones are read as is)."""
    return any(person.pk == user.pk for person in meeting.participants.all())


def can_read_meeting(user: User, meeting: Meeting) -> bool:
    """The staff who attended, and the direction: the rule for every item's content, a case
    discussion's (what was said, decisions, its actions' text) above all."""
    if not can_take_part_in_team_meetings(user):
        return False
    return can_read_every_team_meeting(user) or attended(user, meeting)


def can_read_item(user: User, item: AgendaItem) -> bool:
    return can_read_meeting(user, item.meeting)


def can_handle_action(user: User, action: MeetingAction) -> bool:
    """Its owner, the meeting's participants and the direction may mark it done or undo."""
    if not user.is_active:
        return False
    return action.owner_id == user.pk or can_read_item(user, action.item)


def meeting_for_user(user: User, pk: int) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).prefetch_related("participants"), pk=pk
    )
    if not can_read_meeting(user, meeting):
        raise Http404
    return meeting


def item_for_user(user: User, pk: int) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting", "household", "resident__household").filter(
            meeting__in=Meeting.objects.visible_to(user)
        ),
        pk=pk,
    )
    if not can_read_item(user, item):
        raise Http404
    return item


def action_for_user(user: User, pk: int, *, handle: bool = False) -> MeetingAction:
    """An action of a meeting the user may read; with handle=True, also one they own (to mark
    it done from their follow-ups)."""
    action = get_object_or_404(
        MeetingAction.objects.select_related("item__meeting", "owner").prefetch_related(
            "item__meeting__participants"
        ),
        pk=pk,
    )
    if handle and can_handle_action(user, action):
        return action
    if not can_read_item(user, action.item):
        if action.owner_id == user.pk:
            raise PermissionDenied
        raise Http404
    return action
