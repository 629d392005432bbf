"""No personal data in the logs: every log record is made without model objects in it.

A model object's representation can carry what its `__str__` says, and an exception can carry
objects (Django's ProtectedError holds the rows that blocked a deletion). The record factory
installed at start-up replaces every model object in a record's message, arguments and
exception by its kind and number ("<residents.Resident #12>"), whatever handler writes the
record afterwards.
"""

import logging
from typing import Any

from django.db import models

MAX_DEPTH = 4


def scrubbed(value: Any, depth: int = 0) -> Any:
    """`value` with every model object (or queryset) in it named by kind and number only."""
    if isinstance(value, models.Model):
        return f"<{value._meta.label} #{value.pk}>"
    if isinstance(value, models.QuerySet):
        return f"<QuerySet of {value.model._meta.label}>"
    if depth >= MAX_DEPTH:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = [scrubbed(item, depth + 1) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key: scrubbed(item, depth + 1) for key, item in value.items()}
    return value


def _scrub_exception(error: BaseException | None) -> None:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.args = scrubbed(error.args)
        error = error.__cause__ or error.__context__


def install_record_factory() -> None:
    """Make every log record of the process go through `scrubbed` (idempotent)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "scrubs_objects", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.msg = scrubbed(record.msg)
        if record.args:
            record.args = scrubbed(record.args)
        if record.exc_info and record.exc_info[1] is not None:
            _scrub_exception(record.exc_info[1])
        return record

    # A mark on the factory itself, so that installing it twice wraps it once.
    factory.scrubs_objects = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
