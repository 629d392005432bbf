"""Lost updates: records that two people may edit at once carry a version number.

A form sends back the version it was opened with; the service locks the row and refuses the
save when someone else saved it in between, so the later person re-reads before overwriting.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class StaleEditError(ValidationError):
    """Someone else saved the record since this person opened it."""


def claim_next_version(instance: models.Model, *, expected: int | None, message) -> None:
    """Lock the saved row and move `instance` to the next version; refuse a stale one.

    Call inside the transaction that saves the instance. `expected` None means the caller
    had no version to compare (a write that is not an edit form), never a refusal.
    """
    manager = type(instance)._default_manager
    current = manager.select_for_update(of=("self",)).only("version").get(pk=instance.pk)
    if expected is not None and current.version != expected:
        raise StaleEditError(message, code="stale")
    instance.version = current.version + 1


class VersionedFormMixin(forms.Form):
    """A hidden field that carries the version the form was opened with."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None
