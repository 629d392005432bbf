"""Writes of team meetings, their items and actions: atomic, validated, audited."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from ema.read_log import ReadKind, record_read
from team.models import MAX_ITEMS, AgendaItem, Meeting, MeetingAction

STALE_MEETING = _(
    "Someone else saved this meeting while you were editing it. "
    "What you typed is kept below: check the saved version, then save again."
)
STALE_ITEM = _(
    "Someone else saved this agenda item while you were editing it. "
    "What you typed is kept below: check the saved version, then save again."
)


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting,
    participants: Iterable[User],
    by: User,
    expected_version: int | None = None,
) -> Meeting:
    """Record a meeting, or change its day and participants; whoever records it is one of
    them (they would not see it otherwise). A stale edit is refused (StaleEditError)."""
    people = {person.pk: person for person in participants}
    if meeting.pk is None:
        meeting.created_by = by
        people.setdefault(by.pk, by)
    else:
        claim_next_version(meeting, expected=expected_version, message=STALE_MEETING)
    if not people:
        raise ValidationError({"participants": _("Choose at least one participant.")})
    meeting.full_clean()
    meeting.save()
    meeting.participants.set(people.values())
    return meeting


@transaction.atomic
def item_save(*, item: AgendaItem, by: User, expected_version: int | None = None) -> AgendaItem:
    """Add an item at the end of the agenda, or change one. A case discussion names a
    household (the resident's, when a resident is named); another kind names nobody."""
    if item.pk is None:
        Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
        agenda = AgendaItem.objects.filter(meeting_id=item.meeting_id)
        if agenda.count() >= MAX_ITEMS:
            raise ValidationError(
                _("A meeting holds at most %(max)d agenda items."),
                params={"max": MAX_ITEMS},
                code="too_many",
            )
        item.position = (agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    else:
        claim_next_version(item, expected=expected_version, message=STALE_ITEM)
    if item.is_case_discussion:
        if item.resident is not None:
            item.household = item.resident.household
        if item.household is None:
            raise ValidationError(
                {"household": _("A case discussion is about a household or a resident.")}
            )
    else:
        item.household = item.resident = None
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: AgendaItem) -> None:
    """Remove an item and its actions from the agenda (the audit log keeps the trace)."""
    item.actions.all().delete()
    item.delete()


def _check_owner(action: MeetingAction) -> None:
    meeting = action.item.meeting
    if not meeting.participants.filter(pk=action.owner_id).exists():
        raise ValidationError({"owner": _("Choose one of the meeting’s participants.")})


@transaction.atomic
def action_save(*, action: MeetingAction) -> MeetingAction:
    """Give one of the meeting's participants something to do by a day."""
    _check_owner(action)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_delete(*, action: MeetingAction) -> None:
    action.delete()


@transaction.atomic
def action_complete(*, action: MeetingAction, by: User, on: date | None = None) -> MeetingAction:
    """Mark an action done (today by default), saying who did."""
    action.done_on = on or timezone.localdate()
    action.done_by = by
    action.save(update_fields=["done_on", "done_by", "updated_at"])
    return action


@transaction.atomic
def action_reopen(*, action: MeetingAction) -> MeetingAction:
    """Undo: the action is open again."""
    action.done_on = None
    action.done_by = None
    action.save(update_fields=["done_on", "done_by", "updated_at"])
    return action


def case_discussions_read(*, items: Iterable[AgendaItem], by: User) -> None:
    """Record in the read log each case discussion whose content `by` was shown (never the
    content itself)."""
    for item in items:
        if item.is_case_discussion:
            record_read(
                user=by,
                kind=ReadKind.CASE_DISCUSSION,
                target=item,
                details={"meeting": item.meeting_id},
            )
