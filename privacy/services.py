"""Writing to the read log. Callers pass the record that was read; never its content."""

from django.contrib.contenttypes.models import ContentType

from privacy.models import ReadEvent


def record_read(*, user, kind: str, target=None, details: dict | None = None) -> ReadEvent:
    """Record that `user` read personal information: a file, a note, an export."""
    return ReadEvent.objects.create(
        actor=user,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        details=details or {},
    )
