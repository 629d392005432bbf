from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ema.dates import BoundedDateField
from ema.forms import choice_field
from privacy.models import ReadEvent


class ReadLogFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything")), *ReadEvent.Kind.choices], required=False
    )
    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "actor").queryset = get_user_model().objects.order_by("username")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise ValidationError(_("The end date cannot be before the start date."))
        return cleaned
