"""Access to the practice journal's entries."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ema.access import can_edit_journal_entry
from ema.accounts.models import User
from evaluation.models import JournalEntry


def journal_entry_for_user(user: User, pk: int, *, write: bool = False) -> JournalEntry:
    entry = get_object_or_404(JournalEntry.objects.visible_to(user).select_related("author"), pk=pk)
    if write and not can_edit_journal_entry(user, entry):
        raise PermissionDenied
    return entry
