from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from residents.imports import parse_upload


class HouseholdImportForm(forms.Form):
    """The spreadsheet to import; reading it is part of validating it."""

    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_(
            "CSV (commas, semicolons or tabs) or Excel (.xlsx); the first row names the columns."
        ),
        error_messages={"required": _("Choose the file to import.")},
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows: list[dict[str, str]] = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.rows = parse_upload(file=file)
        return file
