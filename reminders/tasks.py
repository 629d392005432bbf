"""The jobs of the schedule (settings.CELERY_BEAT_SCHEDULE). Each one checks what is due and is
safe to run again: the services keep the guards."""

from celery import shared_task

from reminders import services


@shared_task
def send_daily_digests() -> int:
    return services.daily_digests_send()


@shared_task
def send_weekly_summaries() -> int:
    return services.weekly_summaries_send()


@shared_task
def send_retention_notices() -> int:
    return services.retention_notices_send()
