from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ema.access import can_open_the_admin
from ema.admin_privacy import ReadLoggedAutocompleteView


class EmaAdminSite(admin.AdminSite):
    """The Django admin, open to the admin role only, once it has given its second factor.

    What it shows of personal information is recorded in the read log (ema.admin_privacy)."""

    site_header = _("EMA administration")
    site_title = _("EMA administration")
    index_title = _("Reference lists, accounts and records")

    def has_permission(self, request) -> bool:
        user = request.user
        # is_verified: installed by django-otp's OTPMiddleware; TwoFactorMiddleware sends
        # there first.
        return can_open_the_admin(user) and user.is_verified()

    def autocomplete_view(self, request):
        return ReadLoggedAutocompleteView.as_view(admin_site=self)(request)
