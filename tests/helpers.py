"""What many test modules share: form data as a browser sends it, French as a person reads it."""

import importlib
import re
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.forms import BaseModelForm, BaseModelFormSet
from django.test.utils import CaptureQueriesContext
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


def form_modules():
    """Every `forms.py` and `*_forms.py` of the project's apps."""
    root = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(root) or ".venv" in path.parts:
            continue
        for file in sorted(path.glob("*forms.py")):
            yield importlib.import_module(f"{config.name}.{file.stem}")


def model_forms() -> dict[str, type[BaseModelForm]]:
    """The ModelForms of those modules by dotted name, with the forms of their formsets."""
    found = {}
    for module in form_modules():
        for name, value in vars(module).items():
            if not isinstance(value, type):
                continue
            if issubclass(value, BaseModelForm) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
            elif (
                # A formset made by inlineformset_factory: its form has no name of its own.
                issubclass(value, BaseModelFormSet)
                and hasattr(value, "form")
                and not any(issubclass(value.form, known) for known in found.values())
            ):
                found[f"{module.__name__}.{name}"] = value.form
    return found


# What opens, closes or nests a transaction is not a query of data: BEGIN and COMMIT show on
# SQLite, not on PostgreSQL, and a test's own transaction turns every atomic block into a
# savepoint. Budgets count the statements that read or write rows.
TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE
)


@contextmanager
def max_data_queries(limit: int):
    """Fail when the block runs more than `limit` statements that read or write rows."""
    with CaptureQueriesContext(connection) as context:
        yield context
    statements = [
        query["sql"]
        for query in context.captured_queries
        if not TRANSACTION_CONTROL.match(query["sql"])
    ]
    assert len(statements) <= limit, f"{len(statements)} queries:\n" + "\n".join(statements)
