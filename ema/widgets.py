"""Form widgets shared by every app."""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class _ChosenOnly:
    """A select of a long list that holds only the options already chosen: the others come
    from `search_url` as the person types (static/js/picker.js, with Tom Select). The page
    stays light whatever the list's length, and the form sent without JavaScript keeps
    what was chosen. The field still checks every value against its own queryset.

    `depends_on` names (by its HTML id) another select of the form whose value is sent as
    `within`: the rows offered are then those of the row chosen there (the interventions of
    the chosen household...), listed as soon as the field is opened."""

    choices: Any

    def __init__(
        self,
        search_url: str | Promise,
        attrs: dict | None = None,
        *,
        depends_on: str = "",
        prompt: Any = None,
        empty: Any = None,
    ):
        super().__init__(attrs=attrs)  # type: ignore[call-arg]
        self.search_url = search_url
        self.depends_on = depends_on
        self.prompt = prompt
        self.empty = empty

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)  # type: ignore[misc]
        attrs.setdefault("class", "form-select")
        attrs["data-picker"] = str(self.search_url)
        attrs["data-picker-empty"] = str(
            self.empty or gettext("Nobody of that name among those you may see.")
        )
        attrs["data-picker-prompt"] = str(self.prompt or gettext("Type two letters of the name"))
        attrs["data-picker-clear"] = gettext("Clear the choice")
        attrs["data-picker-remove"] = gettext("Remove this choice")
        if self.depends_on:
            attrs["data-picker-depends-on"] = self.depends_on
        return attrs

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if str(v).isdigit()]
        iterator = self.choices
        options = []
        if not getattr(self, "allow_multiple_selected", False) and iterator.field.empty_label:
            options.append(
                self.create_option(name, "", iterator.field.empty_label, not chosen, 0)  # type: ignore[attr-defined]
            )
        rows = iterator.queryset.filter(pk__in=chosen) if chosen else []
        for row in rows:
            option_value, label = iterator.choice(row)
            options.append(self.create_option(name, option_value, label, True, len(options)))  # type: ignore[attr-defined]
        return [(None, [option], index) for index, option in enumerate(options)]


class SearchSelect(_ChosenOnly, forms.Select):
    """One row of a long list, chosen by typing its name."""


class SearchSelectMultiple(_ChosenOnly, forms.SelectMultiple):
    """Rows of a long list, chosen by typing their names."""
