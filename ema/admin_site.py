from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ema.accounts.models import Role
from ema.admin_privacy import ReadLoggedAutocompleteView


class EmaAdminSite(admin.AdminSite):
    """The Django admin, open to the admin role only, once it has given its second factor.

    What it shows of personal information is recorded in the read log (ema.admin_privacy)."""

    site_header = _("EMA administration")
    site_title = _("EMA administration")
    index_title = _("Reference lists, accounts and records")

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active
            and (user.role == Role.ADMIN or user.is_superuser)
            # Installed by django-otp's OTPMiddleware; TwoFactorMiddleware sends there first.
            and user.is_verified()
        )

    def autocomplete_view(self, request):
        return ReadLoggedAutocompleteView.as_view(admin_site=self)(request)
