"""Writing to the read log. Callers pass the record that was read; never its content."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ema.accounts.models import User
from privacy.models import ReadEvent


def read_event_create(
    *,
    user: User | None,
    kind: str,
    target: models.Model | type[models.Model] | None = None,
    details: dict | None = None,
) -> ReadEvent:
    """Record that `user` read personal information: a file, a note, an export; `target` is
    the record read, or the model of the records a list showed (the Django admin's). Named
    by READ_LOG_WRITER: the core's port (ema.read_log) calls it for the lower apps."""
    return ReadEvent.objects.create(
        actor=user,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if isinstance(target, models.Model) else None,
        details=details or {},
    )
