from celery import shared_task

from downloads import services


@shared_task
def make_prepared_file(pk: int) -> str:
    return services.prepared_file_make(pk=pk).state


@shared_task
def make_waiting_files() -> int:
    """Requests left waiting (the queue was down when they were made, a worker died)."""
    return len([services.prepared_file_make(pk=pk) for pk in services.prepared_files_waiting()])


@shared_task
def remove_old_files() -> int:
    return services.old_prepared_files_remove()
