"""Anonymisation on the direction's word, done by a job (Law 25).

The direction reviews the files due on the retention page and confirms: that records a
RetentionRun and hands it to the task queue. The job anonymises the files still due that day,
each in its own transaction (privacy.retention), and records what it did. A job that dies
half-way, or runs twice, does no harm: anonymised files are skipped, and a run done is not done
again. When the queue cannot be reached, the run waits; the hourly job takes up every run not
done (privacy.tasks)."""

import logging
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ema.accounts.models import User
from privacy.models import RetentionRun
from privacy.retention import anonymise_household, households_due_for_retention
from residents.models import Household

logger = logging.getLogger(__name__)


def retention_run_confirm(*, by: User, today: date, enqueue: Callable[[int], None]) -> RetentionRun:
    """Record the direction's go-ahead for the files due `today`, then hand the run to the
    queue once saved (`enqueue(run_pk)`; a queue that cannot be reached leaves it waiting)."""
    with transaction.atomic():
        run = RetentionRun.objects.create(
            day=today, due=households_due_for_retention(today=today).count(), confirmed_by=by
        )

    try:
        enqueue(run.pk)
    except Exception:  # the broker's errors: connection refused, timeout...
        logger.warning("retention run %s waits: the task queue cannot be reached", run.pk)
    return run


def retention_run_apply(*, run_pk: int) -> RetentionRun:
    """Anonymise the files of a confirmed run that were due on its day and still are; once.
    Each file in its own transaction: a job stopped half-way leaves whole files, and the next
    run of the job skips those already done."""
    run = RetentionRun.objects.get(pk=run_pk)
    if run.done_at is not None:
        return run
    anonymised = skipped = 0
    due = households_due_for_retention(today=run.day).values_list("pk", flat=True)
    for household in Household.objects.filter(pk__in=list(due)).order_by("pk"):
        try:
            anonymise_household(household=household, today=run.day)
        except ValidationError:
            skipped += 1  # something happened on the file since the list was made
        else:
            anonymised += 1
    RetentionRun.objects.filter(pk=run.pk, done_at__isnull=True).update(
        anonymised=anonymised, skipped=skipped, done_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def pending_runs() -> list[int]:
    return list(RetentionRun.objects.filter(done_at__isnull=True).values_list("pk", flat=True))
