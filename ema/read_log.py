"""The read log's port: the core and the domain apps say here who read which personal
information (Law 25), never its content.

The read log itself (its table, its page, its append-only trigger) belongs to `privacy`, which
sits above the domain apps: they cannot import it. The setting READ_LOG_WRITER names the
function that writes a reading (`privacy.services.read_event_create`); it is called with the
arguments of `record_read` below. A reading is never skipped: without a writer, the page or
the export that reads fails.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class ReadKind(models.TextChoices):
    """What was read: the kinds of reading the read log stores (privacy.ReadEvent.kind)."""

    FILE = "file", _("File opened")
    RESTRICTED_NOTE = "restricted_note", _("Restricted note read")
    EXPORT = "export", _("Export downloaded")
    ACCESS_REQUEST = "access_request", _("Personal information export")
    ADMIN = "admin", _("Read in the administration")
    PARTNER_LINK = "partner_link", _("Read through a partner link")
    CASE_DISCUSSION = "case_discussion", _("Case discussion read")


def read_log_writer() -> Callable[..., object]:
    """The function READ_LOG_WRITER names; ImproperlyConfigured when it names none."""
    path = getattr(settings, "READ_LOG_WRITER", "")
    if not path:
        raise ImproperlyConfigured(
            "READ_LOG_WRITER must name the function that writes the read log."
        )
    try:
        return import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"READ_LOG_WRITER: {error}") from error


def record_read(
    *,
    user,  # None for a partner's reading through its link (details name the link)
    kind: ReadKind,
    target: models.Model | type[models.Model] | None = None,
    details: dict | None = None,
) -> None:
    """Record that `user` read personal information. `target` is the record read (an
    instance, which may carry only its number), or the model of the records a list showed;
    `details` says how (a format, a page, the numbers listed), never what it holds."""
    read_log_writer()(user=user, kind=kind, target=target, details=details)


def check_read_log_writer(**kwargs) -> list[checks.CheckMessage]:
    """A system check: the readings have a writer (registered by ema.apps)."""
    try:
        read_log_writer()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="ema.E002")]
    return []
