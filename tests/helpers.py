"""What many test modules share: form data as a browser sends it, French as a person reads it."""

import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.forms import BaseModelForm, BaseModelFormSet
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
