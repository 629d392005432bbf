"""Writes of the evaluation: the practice journal's entries."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import User
from ema.concurrency import claim_next_version
from evaluation.figures import Scope, figures_snapshot, period_snapshot
from evaluation.models import JournalEntry

STALE_ENTRY = _(
    "Someone else changed this journal entry since you opened it: check it below, then "
    "save again if your changes still hold."
)


@transaction.atomic
def journal_entry_create(
    *, entry: JournalEntry, by: User, figure_keys: list[str], scope: Scope
) -> JournalEntry:
    """Record a new entry, with the figures it cites computed now and kept as they are."""
    entry.author = by
    entry.figures = figures_snapshot(keys=figure_keys, scope=scope)
    entry.figures_period = period_snapshot(scope) if entry.figures else {}
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def journal_entry_update(*, entry: JournalEntry, expected_version: int | None) -> JournalEntry:
    """Change an entry's text; the figures it cites stay those of the day it was written. A
    stale version is refused (StaleEditError)."""
    claim_next_version(entry, expected=expected_version, message=STALE_ENTRY)
    entry.full_clean()
    entry.save(update_fields=["date", "kind", "title", "rationale", "version", "updated_at"])
    return entry
