"""Preparing a file by a job: asked for by one person, written in the background with its
progress recorded, kept for a day, handed only to that person; its download is recorded in
the read log like any export."""

import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from downloads.kinds import KINDS
from downloads.models import PreparedFile
from ema.accounts.models import User
from ema.exports import Rows, Table, write_csv, write_xlsx

logger = logging.getLogger(__name__)

# The progress written to the database every so many rows.
PROGRESS_EVERY = 500
# A file still "being prepared" after this long was left by a worker that died: made again.
STALLED_AFTER = timedelta(minutes=30)


def prepared_file_ask(
    *, user: User, kind: str, query: QueryDict, enqueue: Callable[[int], None]
) -> PreparedFile:
    """Record the request, then hand it to the queue once saved; a queue that cannot be
    reached leaves it waiting for the hourly pass."""
    with transaction.atomic():
        prepared = PreparedFile.objects.create(
            owner=user,
            kind=kind,
            query=query.urlencode(),
            rows_total=KINDS[kind].count(user, query),
        )
    try:
        enqueue(prepared.pk)
    except Exception:  # the broker's errors: connection refused, timeout...
        logger.warning("prepared file %s waits: the task queue cannot be reached", prepared.pk)
    return prepared


def _counted(prepared: PreparedFile, rows: Iterable[Sequence]) -> Iterator[Sequence]:
    done = prepared.rows_done
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            PreparedFile.objects.filter(pk=prepared.pk).update(rows_done=done)
    PreparedFile.objects.filter(pk=prepared.pk).update(rows_done=done)
    prepared.rows_done = done


def _with_progress(table: Table, prepared: PreparedFile) -> Table:
    """The same table, its rows counted into the progress as they are written."""
    rows = table.rows
    return replace(table, rows=Rows(lambda: _counted(prepared, rows)))


def prepared_file_make(*, pk: int) -> PreparedFile:
    """Write the file of a request still waiting; once (a request being or already made is
    left alone, so a second run of the job does nothing)."""
    claimed = (
        PreparedFile.objects.filter(pk=pk)
        .filter(_to_make())
        .update(state=PreparedFile.State.RUNNING, rows_done=0)
    )
    prepared = PreparedFile.objects.select_related("owner").get(pk=pk)
    if not claimed:
        return prepared
    try:
        made = KINDS[prepared.kind].make(prepared.owner, QueryDict(prepared.query))
        tables = [_with_progress(table, prepared) for table in made.tables]
        with tempfile.TemporaryFile() as scratch:
            if made.fmt == "xlsx":
                write_xlsx(scratch, tables)
            else:
                write_csv(scratch, tables[0])
            scratch.seek(0)
            filename = f"{made.filename}.{made.fmt}"
            prepared.file.save(filename, File(scratch), save=False)
        prepared.filename = filename
        prepared.fmt = made.fmt
        prepared.state = PreparedFile.State.READY
        prepared.ready_at = timezone.now()
        prepared.save(update_fields=["file", "filename", "fmt", "state", "ready_at", "rows_done"])
    except Exception:
        logger.exception("prepared file %s failed", pk)
        PreparedFile.objects.filter(pk=pk).update(state=PreparedFile.State.FAILED)
        prepared.refresh_from_db()
    return prepared


def _to_make() -> Q:
    stalled = timezone.now() - STALLED_AFTER
    return Q(state=PreparedFile.State.WAITING) | Q(
        state=PreparedFile.State.RUNNING, created_at__lt=stalled
    )


def prepared_files_waiting() -> list[int]:
    return list(PreparedFile.objects.filter(_to_make()).values_list("pk", flat=True))


def old_prepared_files_remove(*, now: datetime | None = None) -> int:
    """Prepared files are kept a day (PREPARED_FILES_HOURS), then removed with their file."""
    limit = (now or timezone.now()) - timedelta(hours=settings.PREPARED_FILES_HOURS)
    removed = 0
    for prepared in PreparedFile.objects.filter(created_at__lt=limit):
        if prepared.file:
            prepared.file.delete(save=False)
        prepared.delete()
        removed += 1
    return removed
