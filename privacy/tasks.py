"""The retention jobs: a confirmed run, and the hourly pass that takes up any run left waiting
(the queue was down when it was confirmed, or a worker died)."""

from celery import shared_task

from privacy.retention_runs import pending_runs, retention_run_apply


@shared_task
def apply_retention_run(run_pk: int) -> int:
    return retention_run_apply(run_pk=run_pk).anonymised


@shared_task
def apply_pending_retention_runs() -> int:
    return sum(retention_run_apply(run_pk=pk).anonymised for pk in pending_runs())
