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


def admin_read_record(
    *,
    user,
    model,
    view: str,
    target_id: int | None = None,
    ids: list[int] | None = None,
    details: dict,
) -> ReadEvent:
    """Record a page of the Django admin that showed records of `model`: one record
    (`target_id`) or a list (`ids`, the numbers shown). Named by ADMIN_READ_RECORDER."""
    return ReadEvent.objects.create(
        actor=user,
        kind=ReadEvent.Kind.ADMIN,
        target_type=ContentType.objects.get_for_model(model),
        target_id=target_id,
        details={"view": view, **({"ids": ids} if ids is not None else {}), **details},
    )
