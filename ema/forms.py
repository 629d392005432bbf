"""What every app's forms share: their choice fields narrowed and labelled, the errors a
service raises, shown where the person reads them, and inline formsets that never delete a row
other records point to."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils.translation import ngettext


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, a ModelChoiceField (or ModelMultipleChoiceField) whose
    queryset or labels the form sets: `form.fields` is typed as holding plain Fields."""
    return cast(forms.ModelChoiceField, form.fields[name])


def label_choices(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Label each choice of the form's ModelChoiceField `name` with `label(object)`."""
    # Django's label_from_instance, replaced on this form's copy of the field only.
    choice_field(form, name).label_from_instance = label  # type: ignore[method-assign, assignment]


def form_status(request: HttpRequest) -> int:
    """The status of a form's page: 400 when it comes back from a POST with its errors."""
    return 400 if request.method == "POST" else 200


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, fields: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: each message next to its field (renamed
    through `fields` where the form calls it otherwise), or above the form when the form has
    no such field, so that no message is lost and no rule is written twice."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target: str | None = fields.get(name, name)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for message in errors:
            form.add_error(target, message)


class KeepReferencedRowsFormSet(forms.BaseInlineFormSet):
    """An inline formset whose "delete" box never removes a row that other records still
    point to (a service named in referrals...): the formset refuses the save with a French
    message, rather than a 500 on the protected row or a silent change to past records."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        problems = []
        for form in self.deleted_forms:
            if form.instance.pk is None:
                continue
            collector = Collector(using=router.db_for_write(type(form.instance)))
            try:
                collector.collect([form.instance])
            except (ProtectedError, RestrictedError) as error:
                blocking = (
                    error.protected_objects
                    if isinstance(error, ProtectedError)
                    else error.restricted_objects
                )
                count = len(blocking)
                message = ngettext(
                    "“%(row)s” is named by %(count)s other record: it cannot be deleted.",
                    "“%(row)s” is named by %(count)s other records: it cannot be deleted.",
                    count,
                ) % {"row": form.instance, "count": count}
                form.add_error(None, message)
                problems.append(message)
        if problems:
            raise ValidationError(problems, code="protected")
