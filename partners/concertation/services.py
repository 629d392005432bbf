"""Writes of the concertation meetings: a meeting saved (versioned), a commitment made, a
commitment's follow-up."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from partners.concertation.models import Commitment, CommitmentEvent, ConcertationMeeting
from partners.models import Organisation
from residents.models import Site

STALE_MEETING = _(
    "Someone else saved this meeting since you opened it. Check the meeting as it is now, "
    "then save again to keep your changes."
)


@transaction.atomic
def meeting_save(
    *,
    meeting: ConcertationMeeting,
    by: User,
    sites: Iterable[Site] = (),
    partners_present: Iterable[Organisation] = (),
    staff_present: Iterable[User] = (),
    expected_version: int | None = None,
) -> ConcertationMeeting:
    """Create a meeting or update it; a stale edit (someone else saved it meanwhile) is
    refused."""
    if meeting.pk is None:
        meeting.created_by = by
    else:
        claim_next_version(meeting, expected=expected_version, message=STALE_MEETING)
    meeting.table_name = meeting.table_name.strip()
    meeting.full_clean()
    meeting.save()
    meeting.sites.set(sites)
    meeting.partners_present.set(partners_present)
    meeting.staff_present.set(staff_present)
    return meeting


@transaction.atomic
def commitment_create(
    *, meeting: ConcertationMeeting, organisation: Organisation, what: str, due_on: date, by: User
) -> Commitment:
    """Record what an organisation undertook at the meeting, and by when: open until kept or
    dropped."""
    commitment = Commitment(meeting=meeting, organisation=organisation, what=what, due_on=due_on)
    commitment.full_clean()
    commitment.save()
    return commitment


# A commitment is kept or dropped once; either is undone by opening it again.
MOVES = {
    Commitment.Status.OPEN: {Commitment.Status.KEPT, Commitment.Status.DROPPED},
    Commitment.Status.KEPT: {Commitment.Status.OPEN},
    Commitment.Status.DROPPED: {Commitment.Status.OPEN},
}


@transaction.atomic
def commitment_set_status(
    *, commitment: Commitment, status: Commitment.Status, by: User
) -> Commitment:
    """Mark a commitment kept or dropped, with the day and who recorded it, or open it again
    (an undo); each move is a step of its history."""
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    old = Commitment.Status(locked.status)
    if status not in MOVES[old]:
        raise ValidationError(
            _("This commitment is already %(status)s."), params={"status": old.label.lower()}
        )
    reopened = status == Commitment.Status.OPEN
    commitment.status = status
    commitment.status_on = None if reopened else timezone.localdate()
    commitment.status_by = None if reopened else by
    commitment.full_clean()
    commitment.save(update_fields=["status", "status_on", "status_by"])
    CommitmentEvent.objects.create(commitment=commitment, old_status=old, new_status=status, by=by)
    return commitment
