"""What many test modules share: form data as a browser sends it, French as a person reads it."""

from django.utils import translation

from ema.submissions import FIELD, new_token


def french(message) -> str:
    """A message as the French page shows it (white space collapsed)."""
    with translation.override("fr-ca"):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
        return " ".join(text.split())


def once() -> dict[str, str]:
    """The one-time token a create form carries (ema.submissions), new for each call."""
    return {FIELD: new_token()}


def version_of(record) -> dict[str, str]:
    """The version an edit form carries back (ema.concurrency): the record's saved one."""
    record.refresh_from_db(fields=["version"])
    return {"version": str(record.version)}
