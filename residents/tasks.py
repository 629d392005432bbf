"""The residents' daily duty (settings.CELERY_BEAT_SCHEDULE): the age of consent."""

from celery import shared_task
from django.utils import timezone

from residents.services import consent_duties


@shared_task
def run_consent_duties() -> int:
    done = consent_duties(on=timezone.localdate())
    return done.marked_at_fourteen + done.cleared_at_fourteen
