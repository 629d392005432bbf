from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ema.accounts.models import User
from privacy.models import ReadEvent


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def read_events(
    *, actor: User | None = None, kind: str = "", start: date | None = None, end: date | None = None
) -> QuerySet[ReadEvent]:
    """The read log, newest first, filtered; days are America/Montreal days."""
    events = ReadEvent.objects.select_related("actor", "target_type")
    if actor is not None:
        events = events.filter(actor=actor)
    if kind:
        events = events.filter(kind=kind)
    if start:
        events = events.filter(at__gte=_local_midnight(start))
    if end:
        events = events.filter(at__lt=_local_midnight(end + timedelta(days=1)))
    return events
