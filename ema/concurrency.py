"""Lost updates: records that two people may edit at once carry a version number.

A form sends back the version it was opened with; the service locks the row and refuses the
save when someone else saved it in between, so the later person re-reads before overwriting.
A save that carries no version is refused the same way: it cannot show that its author saw
the record as it is now.
"""

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# No saved record has version 0: a form that sent no version expects this one, and is stale.
MISSING_VERSION = 0


class StaleEditError(ValidationError):
    """Someone else saved the record since this person opened it."""


class Versioned(Protocol):
    """A model that carries a `version` field (households, residents, interventions...)."""

    _default_manager: ClassVar[Any]  # the model's manager
    pk: Any
    version: int


def claim_next_version(
    instance: Versioned, *, expected: int | None, message: "StrOrPromise"
) -> None:
    """Lock the saved row and move `instance` to the next version; refuse a stale one.

    Call inside the transaction that saves the instance. `expected` None means the caller
    is not an edit form (an action such as a move-out, which sets its own fields and cannot
    overwrite anyone's typing), never a refusal.
    """
    manager = type(instance)._default_manager
    current = manager.select_for_update(of=("self",)).only("version").get(pk=instance.pk)
    if expected is not None and current.version != expected:
        raise StaleEditError(message, code="stale")
    instance.version = current.version + 1


class VersionedFormMixin(forms.Form):
    """A hidden field that carries the version the form was opened with. Every edit of a saved
    record must send it back: a missing or unreadable version counts as a stale one."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)
    # Mixed into a ModelForm (of a Versioned model), which sets it.
    instance: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    @property
    def expected_version(self) -> int | None:
        """The version to compare with the saved one; None for a new record."""
        if not self.instance.pk:
            return None
        value = str(self.cleaned_data.get("version") or "").strip()
        return int(value) if value.isdigit() else MISSING_VERSION

    def show_stale(self, error: StaleEditError | None) -> None:
        """After a refused save: say why, keep what was typed, and carry the version saved
        now, so that saving again, once the person has checked, is a deliberate choice."""
        if error is not None:
            self.add_error(None, error)
        current = (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        # A bound form's data is the request's QueryDict: its copy can be changed.
        data = cast(QueryDict, self.data).copy()
        data[self.add_prefix("version")] = str(current or MISSING_VERSION)
        self.data = data
