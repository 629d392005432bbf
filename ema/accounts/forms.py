from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ema.accounts.throttle import wait_in_minutes


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # The first line of the lockout (ema.accounts.throttle); the second has its own page.
        "invalid_login": ngettext_lazy(
            "The username or the password is wrong. Both are case-sensitive. After "
            "%(attempts)s failed attempts from the same network, the account is locked on "
            "that network for %(minutes)s minute.",
            "The username or the password is wrong. Both are case-sensitive. After "
            "%(attempts)s failed attempts from the same network, the account is locked on "
            "that network for %(minutes)s minutes.",
            "minutes",
        ),
    }

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "attempts": settings.AXES_FAILURE_LIMIT,
                "minutes": wait_in_minutes(settings.AXES_COOLOFF_TIME),
            },
        )


class TwoFactorCodeForm(forms.Form):
    """The second step of the login: a code from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits the app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class TwoFactorEnrolForm(forms.Form):
    """The first code from the app, which proves that it is set up right."""

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        help_text=_("The code the app shows for EMA."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
